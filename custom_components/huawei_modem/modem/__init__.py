"""The stick itself: no Home Assistant import anywhere below this package."""
