/* classify.c: classifies the digits test split with the model qc compiled
 * into a library (the generated header digits.h declares it).
 *
 *   classify test_x.npy test_y.npy [--dump N]
 *
 * Prints the top-1 accuracy; with --dump N, also the logits of the first N
 * images as exact hex floats (used to compare builds for different CPUs). */
#include "digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the data of a .npy file (little-endian, C order) into a buffer. */
static void *read_npy(const char *path, size_t *bytes) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "classify: cannot open %s\n", path);
    exit(2);
  }
  unsigned char head[10];
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0) {
    fprintf(stderr, "classify: %s is not a .npy file\n", path);
    exit(2);
  }
  size_t header = head[8] | (head[9] << 8);
  fseek(f, 0, SEEK_END);
  long end = ftell(f);
  *bytes = (size_t)end - 10 - header;
  fseek(f, (long)(10 + header), SEEK_SET);
  void *data = malloc(*bytes);
  if (fread(data, 1, *bytes, f) != *bytes) {
    fprintf(stderr, "classify: %s is truncated\n", path);
    exit(2);
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: classify test_x.npy test_y.npy [--dump N]\n");
    return 2;
  }
  int dump = argc > 4 && strcmp(argv[3], "--dump") == 0 ? atoi(argv[4]) : 0;
  size_t xbytes, ybytes;
  float *x = read_npy(argv[1], &xbytes);
  long long *y = read_npy(argv[2], &ybytes);
  size_t per_image = digits_INPUT_0_SIZE, classes = digits_OUTPUT_0_SIZE;
  size_t n = xbytes / sizeof(float) / per_image;
  void *workspace = malloc(digits_workspace_size());
  float logits[16];
  size_t correct = 0;
  for (size_t i = 0; i < n; ++i) {
    if (digits_run_typed(x + i * per_image, logits, workspace) != 0)
      return 1;
    size_t best = 0;
    for (size_t c = 1; c < classes; ++c)
      if (logits[c] > logits[best])
        best = c;
    correct += (long long)best == y[i];
    if ((int)i < dump) {
      printf("image %zu:", i);
      for (size_t c = 0; c < classes; ++c)
        printf(" %a", logits[c]);
      printf("\n");
    }
  }
  printf("accuracy: %.2f%% (%zu/%zu)\n", 100.0 * correct / n, correct, n);
  free(workspace);
  free(x);
  free(y);
  return 0;
}
