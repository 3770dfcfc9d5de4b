"""The GIF pipeline and the image-mode endpoint: workflow definition, local runtime, deploy and the `nst` CLI."""
