# Sourced by bench/walk.sh: prints the Debian mirror apt already uses for
# SUITE, read at run time from apt's sources (deb822 *.sources or one-line
# *.list), so no mirror host name is written into the repository.
debian_mirror() {
    local suite=$1 f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -r $f ]] || continue
        case $f in
        *.sources)
            # deb822: blank-line separated stanzas with Types/URIs/Suites fields.
            awk -v suite="$suite" '
                function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ")) { split(uris, u, " "); print u[1]; found = 1; exit } types = uris = suites = "" }
                /^[ \t]*$/ { flush(); next }
                /^Types:/  { sub(/^Types:[ \t]*/, "");  types = $0 }
                /^URIs:/   { sub(/^URIs:[ \t]*/, "");   uris = $0 }
                /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
                END { if (!found) flush() }' "$f"
            ;;
        *)
            # one-line: deb [options] URI SUITE COMPONENT...
            awk -v suite="$suite" '
                $1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == suite) { print $i; exit } }' "$f"
            ;;
        esac
    done | head -n1
}
