"""The GP practice pages of an area (an ICB, sub-ICB location, PCN, or a local authority by its
practices' postcodes): a funnel plot for any practice indicator (``funnel``), case finding for a
QOF condition (``case_finding``), and admissions growth against the cluster of practices
(``growth``) (issue 12)."""
