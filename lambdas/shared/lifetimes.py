"""How long a link works, in words for the mails and pages ("7 days", "1 hour", "24 hours", "5 minutes").

Rounded down: a mail never promises more than the link keeps.
"""


def describe_lifetime(seconds: int) -> str:
    days, hours = seconds // 86400, seconds // 3600
    if days >= 1 and seconds % 86400 == 0 and days != 1:
        return f"{days} days"
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds >= 60:
        return f"{seconds // 60} minute{'s' if seconds // 60 != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
