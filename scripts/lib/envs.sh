# The project's Python environments, shared by scripts/test, scripts/develop and scripts/bench.
# Source it from the repository root.
#
#   current  .venv       the newest pytest-homeassistant-custom-component and its Home Assistant
#                        (requirements/current.txt), Python 3.14: the tests and the benchmarks
#            .venv-hass  the newest Home Assistant release with its frontend (requirements/hass.txt),
#                        Python 3.14: scripts/develop, the end-to-end tests, mypy
#   floor    .venv-floor Home Assistant 2025.4 (requirements/floor.txt), Python 3.13
#
# Python 3.14.2 or newer is taken from PATH where there is one; otherwise it comes from a Debian
# root file system (Debian's testing suite) built once with debootstrap into the cache folder and
# entered with chroot, with the checkout mounted at the same path (scripts/lib/in-rootfs).

CACHE_DIR=${HUAWEI_MODEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/huawei_modem}
ROOTFS=$CACHE_DIR/forky
ROOTFS_SUITE=forky
ROOTFS_PACKAGES=python3,python3-venv,python3-dev,gcc,g++,ca-certificates,git
# umockdev plays a recorded USB stick to real libusb (tests/modem/test_usb_umockdev.py); chromium is the
# real browser of tests/test_browser.py; gammu is third-party AT software the emulator must serve.
SYSTEM_PACKAGES=(umockdev libumockdev0 gir1.2-umockdev-1.0 libusb-1.0-0 python3-gi chromium gammu)

die() {
    echo >&2
    echo "!! $*" >&2
    exit 1
}

# --- Python 3.14: from PATH, or from the root file system ------------------------------------

native_python314() {
    local candidate
    for candidate in python3.14 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:3] < (3, 14, 2) or sys.version_info[:2] != (3, 14))' \
                2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

debian_mirror() {
    local uri
    uri=$(grep -hoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security |
        head -n1 | awk '{print $2}')
    [ -n "$uri" ] || uri=$(grep -hoE '^deb\s+\S+' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $2}')
    echo "${uri:-http://deb.debian.org/debian}"
}

build_rootfs() {
    local partial=$ROOTFS.partial
    [ "$(id -u)" -eq 0 ] ||
        die "The current environment needs Python 3.14.2+; this machine has none, and building it (debootstrap, chroot) needs root. Run scripts/test as root, or put a python3.14 on PATH."
    command -v debootstrap >/dev/null 2>&1 || {
        echo "Installing debootstrap ..."
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    } || die "debootstrap could not be installed: the current environment (Python 3.14) cannot be built."
    echo "Building a Debian $ROOTFS_SUITE root file system for Python 3.14 in $ROOTFS (about a minute, once) ..."
    rm -rf "$partial"
    debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" "$ROOTFS_SUITE" "$partial" \
        "$(debian_mirror)" /usr/share/debootstrap/scripts/sid >"$CACHE_DIR/debootstrap.log" 2>&1 ||
        die "debootstrap failed (see $CACHE_DIR/debootstrap.log): the current environment cannot be built."
    cp /etc/ssl/certs/ca-certificates.crt "$partial/etc/ssl/certs/ca-certificates.crt"
    mv "$partial" "$ROOTFS"
}

# The system packages inside the root file system, installed when the list changes.
ensure_rootfs_packages() {
    local stamp=$ROOTFS/.system-packages
    [ "$(cat "$stamp" 2>/dev/null)" = "${SYSTEM_PACKAGES[*]}" ] && return 0
    echo "Installing ${SYSTEM_PACKAGES[*]} in $ROOTFS ..."
    cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
    # A mirror snapshot's Release file may be past its Valid-Until date; the packages are still right.
    chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        bash -c "apt-get -qq -o Acquire::Check-Valid-Until=false update &&
                 apt-get install -y -qq --no-install-recommends ${SYSTEM_PACKAGES[*]}" \
        >>"$CACHE_DIR/apt.log" 2>&1 ||
        die "Installing ${SYSTEM_PACKAGES[*]} in the root file system failed (see $CACHE_DIR/apt.log)."
    echo "${SYSTEM_PACKAGES[*]}" >"$stamp"
}

ensure_rootfs() {
    native_python314 >/dev/null && return 0
    mkdir -p "$CACHE_DIR"
    (
        flock 9
        [ -x "$ROOTFS/usr/bin/python3.14" ] || build_rootfs
        ensure_rootfs_packages
    ) 9>"$CACHE_DIR/rootfs.lock"
}

# For scripts that run in the current environment as a whole: unless this machine has Python 3.14,
# run "$@" (the script itself, with its arguments) again inside the root file system, and never
# return. Returns where Python 3.14 is native (inside the root file system too).
go_where_python314_is() {
    native_python314 >/dev/null && return 0
    ensure_rootfs
    exec unshare --mount --propagation private scripts/lib/in-rootfs "$ROOTFS" "$PWD" "$@"
}

# Run a command (from the checkout) where Python 3.14 is.
in_current() {
    if native_python314 >/dev/null; then
        "$@"
    else
        unshare --mount --propagation private scripts/lib/in-rootfs "$ROOTFS" "$PWD" "$@"
    fi
}

# --- Python 3.13 for the floor ---------------------------------------------------------------

floor_python() {
    local candidate
    for candidate in python3.13 "$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3.13; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    die "The floor environment (Home Assistant 2025.4) needs Python 3.13 (python3.13 on PATH, or pyenv's 3.13.x)."
}

# --- filling a venv --------------------------------------------------------------------------

# fill_venv VENV PYTHON REQUIREMENTS: create VENV with PYTHON (a command valid where this runs) and
# install REQUIREMENTS under the constraints of the Home Assistant it names, unless already done.
fill_venv() {
    local venv=$1 python=$2 requirements=$3 stamp wanted
    stamp=$venv/.requirements-installed
    wanted=$(cat "$requirements" requirements/tools.txt scripts/lib/envs.sh | sha256sum | cut -d' ' -f1)
    [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
    echo "Installing $requirements into $venv (a few minutes the first time) ..."
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    quiet_pip "$venv" --upgrade pip
    # Only for its constraints file; the next line installs what it needs under them.
    quiet_pip "$venv" --no-deps "$(grep -E '^homeassistant==' "$requirements")"
    quiet_pip "$venv" -r "$requirements" -c "$(ha_constraints "$venv")"
    echo "$wanted" >"$stamp"
}

quiet_pip() {
    local venv=$1
    shift
    # The machines' pip configuration names local indexes that may not exist; its warnings are noise.
    "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q "$@" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

ha_constraints() {
    # Found without importing homeassistant, whose dependencies are not installed yet.
    "$1/bin/python" -c 'import importlib.util, pathlib
print(pathlib.Path(importlib.util.find_spec("homeassistant").origin).parent / "package_constraints.txt")'
}

# --- the environments ------------------------------------------------------------------------

ensure_current_env() {
    ensure_rootfs
    in_current bash -c 'source scripts/lib/envs.sh &&
        fill_venv .venv python3.14 requirements/current.txt &&
        fill_venv .venv-hass python3.14 requirements/hass.txt'
}

ensure_floor_env() {
    fill_venv .venv-floor "$(floor_python)" requirements/floor.txt
}

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

# "Home Assistant 2026.10.4, Python 3.14.8, serialx 1.11.0" for the venv given.
describe_env() {
    "$1/bin/python" -c 'import sys; from importlib.metadata import version
print("Home Assistant", version("homeassistant") + ", Python", sys.version.split()[0] + ", serialx", version("serialx"))'
}
