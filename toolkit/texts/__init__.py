"""The apps' Dutch and English texts, as plain data (merged by ``toolkit.i18n``)."""
