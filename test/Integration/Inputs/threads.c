/* threads.c: runs a model compiled into a library (symbol prefix "m", one
 * float input, one float output) from several threads at once, each thread
 * with its own workspace, and checks every output bit for bit against a
 * single-threaded run of the same inputs. Workspaces sit at different
 * offsets from a 64-byte boundary (0, 16, 32, 48): the header promises that
 * 16-byte alignment is enough. Then the error returns: NULL arrays, a NULL
 * buffer, a NULL or misaligned workspace each give their code and leave
 * the outputs untouched.
 *
 * Prints "threads: N runs identical" or the first difference; exits 1 on
 * any failure. */
#include "m.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kSamples = 16, kThreads = 4, kRounds = 25 };

static float inputs[kSamples][m_INPUT_0_SIZE];
static float expected[kSamples][m_OUTPUT_0_SIZE];

/* A fixed pseudo-random sequence in [0, 16), like the digits' pixels. */
static uint32_t state = 12345;
static float next_value(void) {
  state = state * 1664525u + 1013904223u;
  return (float)(state >> 8) / (float)(1u << 24) * 16.0f;
}

struct job {
  int id;
  int failures;
};

static void *worker(void *arg) {
  struct job *job = arg;
  size_t offset = 16 * (size_t)job->id % 64;
  char *block = aligned_alloc(64, (m_workspace_size() + offset + 63) / 64 * 64);
  void *workspace = block + offset;
  float out[m_OUTPUT_0_SIZE];
  for (int round = 0; round < kRounds; ++round) {
    for (int s = 0; s < kSamples; ++s) {
      /* Each thread walks the samples in its own order. */
      int k = (s * (2 * job->id + 1) + round) % kSamples;
      memset(out, 0xA5, sizeof(out));
      if (m_run_typed(inputs[k], out, workspace) != m_OK ||
          memcmp(out, expected[k], sizeof(out)) != 0) {
        if (job->failures++ == 0)
          fprintf(stderr, "thread %d round %d sample %d: output differs\n",
                  job->id, round, k);
      }
    }
  }
  free(block);
  return NULL;
}

static int untouched(const float *out) {
  unsigned char sentinel[sizeof(float) * m_OUTPUT_0_SIZE];
  memset(sentinel, 0x5A, sizeof(sentinel));
  return memcmp(out, sentinel, sizeof(sentinel)) == 0;
}

int main(void) {
  for (int s = 0; s < kSamples; ++s)
    for (int i = 0; i < m_INPUT_0_SIZE; ++i)
      inputs[s][i] = next_value();

  char *block = aligned_alloc(64, (m_workspace_size() + 64 + 63) / 64 * 64);
  for (int s = 0; s < kSamples; ++s)
    if (m_run_typed(inputs[s], expected[s], block) != m_OK) {
      fprintf(stderr, "single-threaded run %d failed\n", s);
      return 1;
    }

  pthread_t threads[kThreads];
  struct job jobs[kThreads];
  for (int t = 0; t < kThreads; ++t) {
    jobs[t].id = t;
    jobs[t].failures = 0;
    pthread_create(&threads[t], NULL, worker, &jobs[t]);
  }
  int failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    pthread_join(threads[t], NULL);
    failures += jobs[t].failures;
  }
  if (failures) {
    fprintf(stderr, "threads: %d runs differ\n", failures);
    return 1;
  }
  printf("threads: %d runs identical\n", kThreads * kRounds * kSamples);

  /* The error returns: nothing is read or written. */
  float out[m_OUTPUT_0_SIZE];
  const void *in[] = {inputs[0]};
  void *outs[] = {out};
  void *null_out[] = {NULL};
  memset(out, 0x5A, sizeof(out));
  printf("null inputs: %d\n", m_run(NULL, outs, block));
  printf("null outputs: %d\n", m_run(in, NULL, block));
  printf("null buffer: %d\n", m_run(in, null_out, block));
  printf("null workspace: %d\n", m_run(in, outs, NULL));
  printf("workspace + 8: %d\n", m_run(in, outs, block + 8));
  printf("workspace + 4: %d\n", m_run(in, outs, block + 4));
  printf("outputs untouched: %s\n", untouched(out) ? "yes" : "no");
  printf("workspace + 16: %d\n", m_run(in, outs, block + 16));
  printf("same as before: %s\n",
         memcmp(out, expected[0], sizeof(out)) == 0 ? "yes" : "no");
  free(block);
  return 0;
}
