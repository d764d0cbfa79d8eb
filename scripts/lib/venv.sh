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

# Debian packages some tests need: umockdev runs the modeswitch through real libusb without a stick.
SYSTEM_PACKAGES=(umockdev libumockdev0 gir1.2-umockdev-1.0 libusb-1.0-0 python3-gi)

ensure_system_packages() {
    local missing=() package
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "Not installed: ${missing[*]} (the umockdev tests will be skipped)." >&2
        return 0
    fi
    echo "Installing ${missing[*]} ..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
