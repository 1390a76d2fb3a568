"""The Qt Widgets user interface. Widgets are views: they show what the session controller
tells them and never compute time themselves."""
