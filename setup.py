"""Neural style transfer for photos and animated GIFs: stylizer, pipeline and Lambda handlers."""
from setuptools import find_packages, setup

stylizer_packages = find_packages("containers/stylizer", include=["stylizer", "stylizer.*"])

setup(
    name="nst-pipeline",
    version="0.1.0",
    description="Neural style transfer for photos and animated GIFs on AWS, runnable whole on one machine",
    python_requires=">=3.11",
    packages=stylizer_packages + find_packages(include=["pipeline", "pipeline.*", "lambdas", "lambdas.*"]),
    package_dir={p: "containers/stylizer/" + p.replace(".", "/") for p in stylizer_packages},
    package_data={
        "stylizer": ["catalogue/styles.json", "catalogue/styles/*.jpg"],
        "pipeline": ["local/*.json"],
        "lambdas": ["send_email/templates/*"],
    },
    include_package_data=True,
    entry_points={"console_scripts": ["nst=pipeline.cli:main"]},
)
