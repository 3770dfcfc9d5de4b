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
    "replay": ("pipeline.commands.replay", "start the pipeline for uploads whose events were dead-lettered"),
}


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Every option's help ends with its default, unless the help already says it or there is none to say
    (None, False of a flag). Options whose default lives in StyleSettings say it themselves
    (stylizer.options), so help and code cannot disagree."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if ("default" in text or default in (None, False, argparse.SUPPRESS) or action.option_strings == []
                or isinstance(action, (argparse._HelpAction, argparse._VersionAction))):
            return text
        return f"{text} (default {default})".strip()


def _verbose_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: `nst --verbose stylize` and `nst stylize --verbose` both work; the subparser must not reset it.
    parent.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="also print TensorFlow's and other libraries' log lines and warnings")
    return parent


def build_parser() -> argparse.ArgumentParser:
    verbose = _verbose_option()
    parser = argparse.ArgumentParser(prog="nst", description=__doc__.splitlines()[0], parents=[verbose],
                                     formatter_class=DefaultsHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text, parents=[verbose],
                                        formatter_class=DefaultsHelpFormatter)
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
    from stylizer.quiet import quiet_libraries

    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    args = build_parser().parse_args(argv)
    quiet_libraries(getattr(args, "verbose", False))  # before any command imports TensorFlow
    if getattr(args, "_missing", False):
        print(f"nst {args.command}: not available in this build", file=sys.stderr)
        return 2
    module = importlib.import_module(args._module)
    return module.run(args)


if __name__ == "__main__":
    sys.exit(main())
