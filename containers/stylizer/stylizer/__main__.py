"""The container's entrypoint: `docker run IMAGE serve` (SageMaker hosting) or `... process` (Processing)."""
import sys


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "process":
        from stylizer.process import main as process_main

        return process_main(sys.argv[2:])
    if command == "serve":
        from stylizer.serve import main as serve_main

        return serve_main(sys.argv[2:])
    print("usage: python -m stylizer {process|serve} [options]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
