"""Content files, read and validated: the stakeholder dataset, its vocabularies, the school's
data flows, exercises and programmes; every problem reported as ``file:line: what``."""
