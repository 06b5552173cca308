# Sourced by bin/vqcodec, tools/run.sh and tools/fuzz-campaign.sh before they start a JVM that
# runs PyTorch.
# Memory allocation: PyTorch takes every activation from malloc, and glibc serves blocks of 32 MB
# and more (a 4-Mpixel band's activations) with fresh mmap'ed pages that the kernel faults in and
# zeroes 4 KB at a time on every call: a 12 MP decode spent 22 of its 33 s in the kernel. Huge pages
# for malloc (glibc 2.35+, where transparent huge pages are "madvise" or "always") cut that to a few
# seconds with the same peak memory; keeping blocks under 32 MB in the heap (mmap_threshold) and not
# returning freed memory below 256 MB (trim_threshold) saves the same faults on small pictures.
# Measured on idle cores: 12 MP decode 32.6 -> 11.1 s (peak 770 -> 776 MB), encode 111.9 -> 24.9 s
# (peak 1.00 -> 1.04 GB); kodim23 decode 2.08 -> 1.88 s (median of 5). Other C libraries ignore
# the variable.
tunables=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}$tunables"
