/* mask_main.c: calls the bert_mask model (test/Target/ONNX/Inputs) compiled
 * into a shared library through its generated header, with an int64 mask
 * input and a bool output (one byte per element, 0 or 1).
 *
 * With all-zero scores the masked softmax is uniform over the kept
 * positions: row 0 of each batch prints 1/kept at each kept position and 0
 * at each padded one, then the bool "keep" output. */
#include "bert_mask.h"

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  static const int64_t mask[2][8] = {{1, 1, 1, 1, 1, 0, 0, 0},
                                     {1, 1, 0, 1, 0, 0, 0, 0}};
  float *scores = calloc(bert_mask_INPUT_1_SIZE, sizeof(float));
  float *probs = malloc(bert_mask_OUTPUT_0_SIZE * sizeof(float));
  float *probs2 = malloc(bert_mask_OUTPUT_1_SIZE * sizeof(float));
  uint8_t keep[bert_mask_OUTPUT_2_SIZE];
  void *workspace = aligned_alloc(64, (bert_mask_workspace_size() + 63) / 64 * 64);
  if (bert_mask_run_typed(&mask[0][0], scores, probs, probs2, keep, workspace))
    return 1;
  for (int b = 0; b < 2; ++b) {
    /* probs is [2][4][8][8]: batch b, head 0, query row 0. */
    const float *row = probs + b * 4 * 8 * 8;
    printf("batch %d probs:", b);
    for (int j = 0; j < 8; ++j)
      printf(" %.4f", row[j]);
    printf("\nbatch %d keep:", b);
    for (int j = 0; j < 8; ++j)
      printf(" %d", keep[b * 8 + j]);
    printf("\n");
  }
  free(scores);
  free(probs);
  free(probs2);
  free(workspace);
  return 0;
}
