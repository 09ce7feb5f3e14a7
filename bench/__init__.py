"""Page-speed bench: seed a big synthetic demo, then time the pages people use most."""
