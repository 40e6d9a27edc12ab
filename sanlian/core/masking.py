"""Masks for personal data shown on screen (PIPL): full values only on a logged reveal."""


def mask_phone(value: str) -> str:
    digits = (value or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(value: str) -> str:
    text = (value or "").strip()
    if len(text) < 10:
        return "*" * len(text)
    return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"


def mask_email(value: str) -> str:
    text = (value or "").strip()
    if "@" not in text:
        return "*" * len(text)
    local, domain = text.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_name(value: str) -> str:
    text = (value or "").strip()
    if len(text) <= 1:
        return text
    return text[0] + "*" * (len(text) - 1)
