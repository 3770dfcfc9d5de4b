"""The temporal method for animated GIFs (Ruder, Dosovitskiy, Brox 2016/2018, re-derived; see animation.py):

flow.py        optical flow and backward warping (DIS drives the method, Farneback is the metrics' ruler)
masks.py       reliability of a warped neighbour (occlusion, motion boundary, out of frame, softened)
neighbours.py  which frames constrain which (long-term offsets, loop closure), with flows and weights
start.py       where frames start: the fast painting, toned down until it keeps the content
passes.py      the multi-pass optimisation (alternating directions, blended starts, batches of frames)
warp_cache.py  each neighbour's warp kept until that neighbour is painted again
host.py        the host's cores for the OpenCV work (flows, masks, warps side by side)
"""
