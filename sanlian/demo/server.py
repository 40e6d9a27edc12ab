"""Runs the demo's processes together and stops them together (`sanlian run_demo_server`)."""

import signal
import subprocess  # nosec B404  # starts the platform's own commands (fixed argument lists)
import time


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop(processes: list[subprocess.Popen], grace: float = 5.0) -> None:
    """Ask each running process to stop (SIGINT: Huey finishes its tasks), then SIGTERM, then SIGKILL."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for escalate in (subprocess.Popen.terminate, subprocess.Popen.kill):
        deadline = time.monotonic() + grace
        for process in processes:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                escalate(process)
    for process in processes:
        process.wait()


def run_together(commands: list[list[str]], *, poll: float = 0.5, grace: float = 5.0) -> int:
    """Start every command; return when one exits (its code) or on Ctrl-C / SIGTERM (0), stopping all.

    The children get their own session, so a Ctrl-C reaches only this process, which then stops them
    in order instead of every process handling the terminal's signal at once.
    """
    previous_term = signal.signal(signal.SIGTERM, _interrupt)
    # A shell starts background jobs with SIGINT ignored and children inherit that; with the default
    # handler here, the children start with SIGINT handled (and so stop on it) as well.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    processes: list[subprocess.Popen] = []
    try:
        for command in commands:
            processes.append(subprocess.Popen(command, start_new_session=True))  # nosec B603  # fixed argument lists of our own commands, no shell
        while True:
            for process in processes:
                code = process.poll()
                if code is not None:
                    return code
            time.sleep(poll)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes, grace)
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
