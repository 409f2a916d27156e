"""The town hall's useful sites, opened from a tile in a locked browser (issue 16).

- `policy`: what one visit may reach, as a navigation check and WebKit content-blocker
  rules (pure).
"""
