"""`nst`: the command line for uploaders' jobs run locally, data scientists and operators.

Subcommands live in `pipeline.commands.*` and are imported lazily, so `nst styles` does not pay for TensorFlow.
"""
import argparse
import importlib
import os
import sys

# name -> (module, one-line help). Modules are imported only when their command runs.
COMMANDS = {
    "stylize": ("pipeline.commands.stylize", "paint a photo or an animated GIF in the style of an artwork"),
    "styles": ("pipeline.commands.styles", "list the style catalogue"),
    "demo": ("pipeline.commands.demo", "run the whole GIF pipeline locally (moto), no AWS account"),
    "executions": ("pipeline.commands.executions", "list and inspect pipeline executions (local or AWS)"),
    "paint": ("pipeline.commands.paint", "paint a photo through image mode on a local AWS emulation, live"),
    "serve": ("pipeline.commands.serve", "the local stack and the web page on http://127.0.0.1:8080"),
    "deploy": ("pipeline.commands.deploy", "deploy the whole stack to an AWS account"),
    "destroy": ("pipeline.commands.destroy", "remove a deployed stack (result data kept unless asked)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nst", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        command_parser.set_defaults(_module=module_name)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            command_parser.set_defaults(_missing=True)
            continue
        module.add_arguments(command_parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    args = build_parser().parse_args(argv)
    if getattr(args, "_missing", False):
        print(f"nst {args.command}: not available in this build", file=sys.stderr)
        return 2
    module = importlib.import_module(args._module)
    return module.run(args)


if __name__ == "__main__":
    sys.exit(main())
