"""The Lava backend: IR network -> Lava processes -> Loihi2SimCfg (or Loihi2HwCfg) run."""
