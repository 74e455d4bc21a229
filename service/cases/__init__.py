"""办件进度 (case tracking): an application the window accepted (受理), its states through review,
decision and delivery, its promised time limit in working days, and the electronic supervision
(电子监察) of cases near or past that limit."""
