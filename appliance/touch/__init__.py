"""The touch pipeline: evdev node → decoder (contact frames) → transform → gestures.

`devices` chooses the node, `evemu` reads recordings, `decoder` turns events into
contact frames, `transform` maps them to screen pixels, `gestures` recognises taps,
long presses and drags, `calibration` fits the matrix; `source` opens the I/O: `panel`
(the live panel) or `replay` (a recording), read by `reader`'s thread.
"""
