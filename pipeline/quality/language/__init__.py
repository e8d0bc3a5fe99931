"""Language identification: langdetect's answers, reproduced exactly by numba kernels."""
