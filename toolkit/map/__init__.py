"""The stakeholder map: rendered as safe HTML, exported as graph files, and the additions
participants make to it."""
