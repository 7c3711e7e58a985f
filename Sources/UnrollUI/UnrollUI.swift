// The Canvas, styles, widgets and Session live here.
