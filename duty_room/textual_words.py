"""Textual's own words (its keys, palette commands, quit hint) in the interface languages, looked up
by action and by the English palette title (``palette.<title>``): Textual ships English only."""

from __future__ import annotations

from duty_room.words import Lang, in_lang

KEYS: dict[str, tuple[str, str]] = {
    "app.focus_next": ("下一项", "Focus next"),
    "app.focus_previous": ("上一项", "Focus previous"),
    "focus_next": ("下一项", "Focus next"),
    "focus_previous": ("上一项", "Focus previous"),
    "command_list": ("列表翻页", "Move in list"),
    "copy": ("复制", "Copy"),
    "screen.copy_text": ("复制", "Copy"),
    "cut": ("剪切", "Cut"),
    "paste": ("粘贴", "Paste"),
    "cursor_down": ("下移", "Down"),
    "cursor_up": ("上移", "Up"),
    "cursor_left": ("左移", "Left"),
    "cursor_right": ("右移", "Right"),
    "cursor_left_word": ("左移一词", "Word left"),
    "cursor_right_word": ("右移一词", "Word right"),
    "cursor_next_sibling": ("下一同级", "Next sibling"),
    "cursor_previous_sibling": ("上一同级", "Previous sibling"),
    "cursor_parent": ("上一级", "Parent"),
    "cursor_parent_next_sibling": ("上一级的下一项", "Next ancestor"),
    "delete_left": ("删除左侧字符", "Delete left"),
    "delete_right": ("删除右侧字符", "Delete right"),
    "delete_left_all": ("删除左侧全部", "Delete all left"),
    "delete_right_all": ("删除右侧全部", "Delete all right"),
    "delete_left_word": ("删除左侧一词", "Delete word left"),
    "delete_right_word": ("删除右侧一词", "Delete word right"),
    "dismiss": ("收起", "Dismiss"),
    "escape": ("关闭命令面板", "Close palette"),
    "home": ("到行首", "Start"),
    "end": ("到行尾", "End"),
    "first": ("第一项", "First"),
    "last": ("最后一项", "Last"),
    "page_down": ("下一页", "Page down"),
    "page_up": ("上一页", "Page up"),
    "page_left": ("左翻页", "Page left"),
    "page_right": ("右翻页", "Page right"),
    "press": ("按下", "Press"),
    "quit": ("退出", "Quit"),
    "scroll_down": ("向下滚动", "Scroll down"),
    "scroll_up": ("向上滚动", "Scroll up"),
    "scroll_left": ("向左滚动", "Scroll left"),
    "scroll_right": ("向右滚动", "Scroll right"),
    "scroll_home": ("到开头", "Home"),
    "scroll_end": ("到末尾", "End"),
    "scroll_top": ("到顶部", "Top"),
    "scroll_bottom": ("到底部", "Bottom"),
    "select": ("选择", "Select"),
    "select_all": ("全选", "Select all"),
    "select_cursor": ("打开", "Open"),
    "show_overlay": ("展开选项", "Show options"),
    "submit": ("提交", "Submit"),
    "toggle_expand_all": ("全部展开/收起", "Expand all"),
    "toggle_node": ("展开/收起", "Toggle"),
}

PALETTE: dict[str, tuple[str, str, str, str]] = {
    # English title: (zh title, zh help, en title, en help). One not here is left out of the palette
    # (Maximize and Minimize: our zoom does them).
    "Theme": ("主题", "更换配色", "Theme", "Change the colour theme"),
    "Quit": ("退出", "退出值班室", "Quit", "Quit duty-room"),
    "Keys": ("按键帮助", "显示或隐藏当前界面的全部按键", "Keys", "Show or hide every key of this view"),
    "Screenshot": ("截图", "保存当前画面为 SVG 文件", "Screenshot", "Save the screen as an SVG file"),
}

QUIT_HINT = ("按 {key} 退出", "Press {key} to quit")

# Textual's own binding tooltips (shown in `?` beside the key), by action.
TOOLTIPS: dict[str, tuple[str, str]] = {
    "quit": ("退出值班室", "Leave duty-room"),  # Textual's "return to the command prompt": untrue over SSH
    "command_palette": ("打开命令面板", "Open the command palette"),
}

PALETTE_PLACEHOLDER = ("搜索命令…", "Search for commands…")
PALETTE_NO_MATCHES = ("没有匹配的命令", "No matches found")

# Headings of a widget's keys in `?` (Textual's BINDING_GROUP_TITLE), by the English heading.
GROUP_TITLES: dict[str, tuple[str, str]] = {
    "Input": ("输入框", "Input"),
    "Collapsible": ("折叠块", "Collapsible"),
}


def key_word(action: str, lang: Lang) -> str | None:
    pair = KEYS.get(action)
    return None if pair is None else in_lang(pair, lang)


def tooltip_word(action: str, tooltip: str, lang: Lang) -> str:
    """A binding's tooltip in ``lang``; an English one with no words here is left out in Chinese."""
    pair = TOOLTIPS.get(action)
    return in_lang(pair if pair is not None else ("", tooltip), lang)


def group_title_word(title: str, lang: Lang) -> str:
    """A heading in ``lang``; an English one with no words here is left out in Chinese."""
    return in_lang(GROUP_TITLES.get(title, ("", title)), lang)


def palette_words(title: str, lang: Lang) -> tuple[str, str] | None:
    words = PALETTE.get(title)
    if words is None:
        return None
    return (words[0], words[1]) if lang == "zh" else (words[2], words[3])
