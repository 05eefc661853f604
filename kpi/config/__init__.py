"""Where things live and what can be tuned: data paths, the office's settings file, tunables."""
