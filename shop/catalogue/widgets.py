"""Admin widget that lets editors type SKU options as ``Colour: Sage`` lines instead of JSON."""

import json

from django import forms


class OptionsWidget(forms.Textarea):
    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 2, "placeholder": "Colour: Sage\nSize: M", **(attrs or {})})

    def format_value(self, value):
        if not value:
            return ""
        try:
            options = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            return value  # the editor's unparsed input, shown back with its error
        if not isinstance(options, dict):
            return value
        return "\n".join(f"{key}: {val}" for key, val in options.items())

    def value_from_datadict(self, data, files, name):
        text = data.get(name, "")
        options = {}
        for line in str(text).splitlines():
            key, sep, val = line.partition(":")
            if not sep:
                key, sep, val = line.partition("：")  # full-width colon typed in Chinese
            key, val = key.strip(), val.strip()
            if key and sep and val:
                options[key] = val
            elif key:
                # No "name: value" shape: keep the line so the JSON error tells the editor.
                return text
        return json.dumps(options, ensure_ascii=False)
