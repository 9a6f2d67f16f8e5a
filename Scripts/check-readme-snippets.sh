#!/usr/bin/env bash
# Builds every ```swift block of README.md that follows a `<!-- snippet: main.swift -->` line
# as the main.swift of a new executable package (Swift 6 language mode) that depends on this
# repository by path, with warnings as errors, so that the code a reader pastes builds cleanly.
# This repository's own modules are built with warnings as errors too; remote dependencies have
# their warnings suppressed by SwiftPM. The dependencies and their pins stay in .build-readme
# between runs. Fails, naming the block, when one does not build, or when none is marked.
#   Scripts/check-readme-snippets.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# A path dependency's identity is the name of its folder, not the name in its manifest.
identity=$(basename "$root")
scratch="$root/.build-readme"
marker='<!-- snippet: main.swift -->'
command -v swift >/dev/null || { echo "check-readme-snippets: swift is not on PATH" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each marked block goes to $work/blocks/<line of its first line of code>.swift.
mkdir "$work/blocks"
if ! awk -v marker="$marker" -v out="$work/blocks" '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    state == 2 && trim($0) == "```" { close(file); state = 0; next }
    state == 2 { print > file; next }
    state == 1 && trim($0) == "```swift" { state = 2; opened = NR; file = out "/" (NR + 1) ".swift"; printf "" > file; next }
    state == 1 {
        printf "check-readme-snippets: README.md:%d: the line after \"%s\" does not open a ```swift block\n", NR, marker > "/dev/stderr"
        failed = 1; state = 0
    }
    trim($0) == marker { state = 1 }
    END {
        if (state == 2) { printf "check-readme-snippets: README.md:%d: this ```swift block is never closed\n", opened > "/dev/stderr"; failed = 1 }
        exit failed
    }
' README.md; then
    exit 1
fi

mapfile -t blocks < <(find "$work/blocks" -name '*.swift' -printf '%f\n' | sort -n)
if [[ ${#blocks[@]} -eq 0 ]]; then
    echo "check-readme-snippets: README.md has no \`\`\`swift block after a \"$marker\" line: nothing was checked" >&2
    exit 1
fi

escaped_root=${root//\\/\\\\}
escaped_root=${escaped_root//\"/\\\"}
status=0
for block in "${blocks[@]}"; do
    name="README.md:${block%.swift}"
    package=$(mktemp -d "$work/snippet.XXXXXX")
    mkdir -p "$package/Sources/Snippet"
    cp "$work/blocks/$block" "$package/Sources/Snippet/main.swift"
    cat >"$package/Package.swift" <<EOF
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "readme-snippet",
    dependencies: [
        .package(path: "$escaped_root"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "Snippet",
            dependencies: [
                .product(name: "OTelSDK", package: "$identity"),
                .product(name: "OTLPExporter", package: "$identity"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
EOF
    # The pins of the last successful build, so that a rerun needs no network.
    if [[ -f "$scratch/Package.resolved" ]]; then
        cp "$scratch/Package.resolved" "$package/Package.resolved"
    fi
    echo "check-readme-snippets: building the block at $name"
    # Swift 6.3's native build system drops -warnings-as-errors for remote dependencies; the
    # swiftbuild system (the default from Swift 6.4) may need --build-system native here.
    if swift build --package-path "$package" --scratch-path "$scratch" \
        -Xswiftc -warnings-as-errors >"$package.log" 2>&1; then
        echo "check-readme-snippets: the block at $name builds without warnings"
        if [[ -f "$package/Package.resolved" ]]; then
            cp "$package/Package.resolved" "$scratch/Package.resolved"
        fi
    else
        cat "$package.log" >&2
        echo "check-readme-snippets: the block at $name does not build without warnings (output above)" >&2
        status=1
    fi
done
exit $status
