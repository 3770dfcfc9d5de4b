"""Neural style transfer for photos and animated GIFs (Gatys et al. 2016; Ruder et al. 2016 for video).

Importing the package is cheap on purpose: Lambdas import `stylizer.limits` and `stylizer.gifheader`
without numpy, Keras or OpenCV.
"""
__version__ = "0.1.0"
