"""The report for a physiotherapist (PDF and PNG), and the charts it shares with the
history window. QtGui only: it renders without a window."""
