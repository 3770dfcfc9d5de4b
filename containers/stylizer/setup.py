"""The stylizer package alone, as installed inside the container."""
from setuptools import find_packages, setup

setup(
    name="stylizer",
    version="0.1.0",
    packages=find_packages(include=["stylizer", "stylizer.*"]),
    package_data={"stylizer": ["catalogue/styles.json", "catalogue/styles/*.jpg"]},
    python_requires=">=3.10",
)
