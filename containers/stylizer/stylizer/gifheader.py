"""The GIF header scan: the rules live in stylizer.rules.gifheader (shared with the Lambdas); this name
stays for the engine's imports (gif.py walks frames with the same cursor)."""
from .rules.gifheader import (BROWSER_DEFAULT_DELAY_MS, BROWSER_MIN_DELAY_CS, FORMAT_NAMES, GifInfo, _Cursor,
                              browser_delay_ms, describe_format, scan_gif, sniff_format)

__all__ = ["BROWSER_DEFAULT_DELAY_MS", "BROWSER_MIN_DELAY_CS", "FORMAT_NAMES", "GifInfo", "_Cursor",
           "browser_delay_ms", "describe_format", "scan_gif", "sniff_format"]
