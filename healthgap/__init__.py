"""healthgap: public-health intelligence and delivery for Health and Wellbeing Boards."""

__version__ = "0.1.0"
