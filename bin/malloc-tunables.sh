# Sourced by bin/vqcodec, tools/run.sh and tools/fuzz-campaign.sh before they start a JVM that
# runs PyTorch: the memory allocator for the networks' activations, which PyTorch takes from malloc.
#
# 1. TCMalloc (gperftools' libtcmalloc_minimal, Debian package libtcmalloc-minimal4) when it is
#    installed, preloaded: it keeps freed activations for reuse instead of returning them to the
#    kernel, which glibc does for every block of 32 MB and more (a 4-Mpixel tile's activations), so
#    that the kernel faults in and zeroes fresh pages on every network call. Measured on 2 cores,
#    every other job paused, same streams and pixels (issue 15, 2026-12-06): 12 MP decode 11.3 to
#    16.6 s -> 9.8 to 10.2 s (system time 4.2 -> 1.6 s, peak 767 -> 713 MB), 12 MP encode 26.0 and
#    26.7 s -> 20.0 and 20.4 s (system time 7.5 -> 1.9 s, peak about 0.9 GB either way). jemalloc 5.3
#    with its defaults was much worse (12 MP decode 41 s, 29 s of it in the kernel). Not used when
#    LD_PRELOAD is already set, or with VQCODEC_MALLOC=glibc.
# 2. Otherwise glibc's tunables: huge pages for malloc (glibc 2.35+, where transparent huge pages
#    are "madvise" or "always") cut the fault cost to a few seconds with the same peak memory;
#    keeping blocks under 32 MB in the heap (mmap_threshold) and not returning freed memory below
#    256 MB (trim_threshold) saves the same faults on small pictures. Measured on idle cores: 12 MP
#    decode 32.6 -> 11.1 s (peak 770 -> 776 MB), encode 111.9 -> 24.9 s (peak 1.00 -> 1.04 GB);
#    kodim23 decode 2.08 -> 1.88 s (median of 5). They are set in either case (TCMalloc ignores
#    them, as do other C libraries).
# Shell builtins only: bin/vqcodec runs this before every command.
tunables=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}$tunables"
if [ -z "${LD_PRELOAD:-}" ] && [ "${VQCODEC_MALLOC:-}" != glibc ]; then
  for tcmalloc in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
      /usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib64/libtcmalloc_minimal.so.4 \
      /usr/lib/libtcmalloc_minimal.so.4; do
    if [ -e "$tcmalloc" ]; then
      export LD_PRELOAD=$tcmalloc
      break
    fi
  done
fi
