"""aemlint: a static checker for Adobe Experience Manager as a Cloud Service projects."""

__version__ = "0.1.0"
