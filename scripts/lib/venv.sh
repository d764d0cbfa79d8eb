# Shared by scripts/test, scripts/develop and scripts/bench: make .venv and keep it installed.
# Source it from the repository root, then call ensure_venv.

pick_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            echo "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 is needed (Home Assistant 2024.3.3, the test target, runs on it)." >&2
    return 1
}

quiet_pip() {
    # The machines' pip configuration names local indexes that may not exist; its warnings are noise.
    .venv/bin/pip install --disable-pip-version-check --progress-bar off -q "$@" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

ensure_venv() {
    local python stamp wanted constraints
    if [ ! -x .venv/bin/python ]; then
        python=$(pick_python)
        echo "Creating .venv with $python ..."
        "$python" -m venv .venv
    fi
    stamp=.venv/.requirements-installed
    wanted=$(cat requirements_test.txt requirements_develop.txt | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
        return 0
    fi
    echo "Installing requirements into .venv (a few minutes the first time) ..."
    quiet_pip -r requirements_test.txt
    constraints=$(.venv/bin/python -c \
        'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
    quiet_pip -r requirements_develop.txt -c "$constraints"
    echo "$wanted" >"$stamp"
}
