#!/usr/bin/python3
"""Train a suite of small models on generated data, for qc's accuracy tests.

Unlike test/Zoo (random weights), these models are trained, so the int8
model's accuracy can be measured against the float one on held-out data.
Everything is generated (seeded): glyph images and text lines rendered with
Debian's DejaVu fonts, and sentences from a small grammar. Nothing is
downloaded.

  mnv3_glyphs  MobileNetV3-style CNN (HardSwish, squeeze-excite with a
               Hardsigmoid gate, depthwise 3x3 and 5x5), 36 glyph classes
  vit_glyphs   vision transformer (4x4 patches, pre-LayerNorm, GELU, mean
               pooling) on the same glyphs
  crnn_ctc     CNN + transformer encoder reading a text line, CTC
  bert_text    BERT-style encoder classifying generated sentences (the
               sentiment of each clause flips under negation)

For every model M, writes (under --out only) a folder M/:
  model.onnx   the trained model exported by torch.onnx (opset 13, static
               shapes, batch 1)
  calib.npy    100 samples of the training distribution (not from the test
               set), along the first axis
  test_x.npy   held-out samples (1000; 500 lines for crnn_ctc)
  test_y.npy   their int64 labels; for crnn_ctc [N, 8] label ids padded
               with -1 (id k >= 1 is alphabet[k - 1], 0 is CTC's blank)
  info.json    the task, classes or alphabet, the input and output, torch's
               float32 test metric, the training time and precision, the
               seed and the op counts of the graph

The same command gives the same files on the same machine (with
--threads > 1 torch's float sums may differ in the last bits). Where the
CPU has bfloat16 instructions the transformers train under bf16 autocast,
2-3 times faster than float32 through a reference BLAS (--no-bf16: float32
throughout), so the weights also depend on the CPU's features.

  /usr/bin/python3 test/Accuracy/make_suite.py --out DIR [--models a,b]
      [--seed 0] [--threads N] [--no-bf16] [--list]
"""

import argparse
import inspect
import json
import math
import os
import shutil
import sys
import time
import warnings
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFilter, ImageFont

OPSET = 13
CALIB_SAMPLES = 100
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf",
         "DejaVuSerif-Bold.ttf", "DejaVuSansMono.ttf",
         "DejaVuSansCondensed.ttf", "DejaVuSans-Oblique.ttf"]


def font_paths():
    paths = [os.path.join(FONT_DIR, f) for f in FONTS]
    paths = [p for p in paths if os.path.exists(p)]
    if len(paths) < 3:
        sys.exit("make_suite: Debian's DejaVu fonts are missing from %s "
                 "(apt-get install fonts-dejavu-core fonts-dejavu-extra)"
                 % FONT_DIR)
    return paths


_font_cache = {}


def get_font(path, size):
    key = (path, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(path, size)
    return _font_cache[key]


def normalize(pixels):
    """uint8-range grey levels to [-1, 1], float32."""
    return (np.asarray(pixels, np.float32) / 127.5 - 1.0).astype(np.float32)


# ---------------------------------------------------------------------------
# Data. Every generator takes a numpy Generator and a count and returns
# (x, y) numpy arrays; independent streams (train, calib, test) come from
# one SeedSequence per task.

GLYPH_CLASSES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GLYPH_SIZE = 32


def render_glyphs(rng, n):
    """n glyphs as float32 [n, 1, 32, 32] in [-1, 1] and int64 classes.
    Each is drawn at twice the size in a random font, size and stroke
    width, shifted, rotated by up to 15 degrees, blurred, halved and
    given grey-level noise; ink and background levels vary."""
    fonts = font_paths()
    big = 2 * GLYPH_SIZE
    xs = np.empty((n, 1, GLYPH_SIZE, GLYPH_SIZE), np.float32)
    ys = rng.integers(0, len(GLYPH_CLASSES), n)
    for i in range(n):
        char = GLYPH_CLASSES[ys[i]]
        font = get_font(fonts[rng.integers(len(fonts))],
                        int(rng.integers(30, 50)))
        stroke = int(rng.choice([0, 0, 0, 1, 2]))
        bg = int(rng.integers(150, 256))
        fg = int(rng.integers(0, max(1, bg - 100)))
        img = Image.new("L", (big, big), bg)
        left, top, right, bottom = font.getbbox(char, stroke_width=stroke)
        dx, dy = rng.uniform(-6, 6, 2)
        pos = (big / 2 - (left + right) / 2 + dx,
               big / 2 - (top + bottom) / 2 + dy)
        ImageDraw.Draw(img).text(pos, char, fill=fg, font=font,
                                 stroke_width=stroke, stroke_fill=fg)
        img = img.rotate(rng.uniform(-15, 15), resample=Image.BILINEAR,
                         fillcolor=bg)
        blur = rng.uniform(0.0, 2.0)
        if blur > 0.5:
            img = img.filter(ImageFilter.GaussianBlur(blur))
        img = img.resize((GLYPH_SIZE, GLYPH_SIZE), Image.BILINEAR)
        pixels = np.asarray(img, np.float32)
        pixels = pixels + rng.normal(0, rng.uniform(0, 12), pixels.shape)
        xs[i, 0] = normalize(np.clip(pixels, 0, 255))
    return xs, ys.astype(np.int64)


CTC_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
LINE_HEIGHT, LINE_WIDTH, LINE_MAX = 32, 160, 8


def render_lines(rng, n):
    """n text lines of 1-8 digits and lowercase letters as float32
    [n, 1, 32, 160] in [-1, 1], and int64 [n, 8] label ids (alphabet index
    + 1) padded with -1. A line is drawn in a random font and size, scaled
    to height 32 keeping the aspect ratio (narrower if it would not fit),
    placed at a random offset on the background, blurred and noised."""
    fonts = font_paths()
    xs = np.empty((n, 1, LINE_HEIGHT, LINE_WIDTH), np.float32)
    ys = np.full((n, LINE_MAX), -1, np.int64)
    for i in range(n):
        length = int(rng.integers(1, LINE_MAX + 1))
        ids = rng.integers(0, len(CTC_ALPHABET), length)
        text = "".join(CTC_ALPHABET[k] for k in ids)
        ys[i, :length] = ids + 1
        font = get_font(fonts[rng.integers(len(fonts))],
                        int(rng.integers(22, 34)))
        ascent, descent = font.getmetrics()
        left, _, right, _ = font.getbbox(text)
        pad = int(rng.integers(2, 8))
        w, h = right - left + 2 * pad, ascent + descent + 4
        bg = int(rng.integers(150, 256))
        fg = int(rng.integers(0, max(1, bg - 100)))
        img = Image.new("L", (w, h), bg)
        ImageDraw.Draw(img).text((pad - left, 2), text, fill=fg, font=font)
        if rng.random() < 0.5:
            img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
        scale = LINE_HEIGHT / h * rng.uniform(0.85, 1.0)
        if w * scale > LINE_WIDTH:
            scale = LINE_WIDTH / w
        sw = max(4, min(LINE_WIDTH, int(round(w * scale))))
        sh = max(4, min(LINE_HEIGHT, int(round(h * scale))))
        img = img.resize((sw, sh), Image.BILINEAR)
        canvas = np.full((LINE_HEIGHT, LINE_WIDTH), bg, np.float32)
        x0 = int(rng.integers(0, LINE_WIDTH - sw + 1))
        y0 = int(rng.integers(0, LINE_HEIGHT - sh + 1))
        canvas[y0:y0 + sh, x0:x0 + sw] = np.asarray(img, np.float32)
        canvas += rng.normal(0, rng.uniform(0, 10), canvas.shape)
        xs[i, 0] = normalize(np.clip(canvas, 0, 255))
    return xs, ys


# Sentences: [CLS] clause (conjunction clause)? padded with 0 to 32 ids.
# clause = det adj* subject adverb? negation? adverb? verb det adj* object.
# A clause's polarity is its verb's (+1, -1 or 0), flipped by a negation;
# the label says which non-zero polarities the sentence holds.
TEXT_LEN = 32
TEXT_CLASSES = ["negative", "neutral", "positive", "mixed"]
DETS = ["the", "a", "my", "our", "every", "that", "this", "his", "her"]
ADJS = ["old", "young", "big", "small", "happy", "sad", "good", "bad",
        "quiet", "loud", "red", "tall", "clever", "lazy", "angry",
        "friendly", "nice", "awful", "strange", "famous"]
SUBJECTS = ["dog", "cat", "teacher", "child", "farmer", "doctor", "girl",
            "boy", "king", "robot", "bird", "student", "neighbour", "pilot"]
OBJECTS = ["ball", "book", "movie", "song", "city", "garden", "food",
           "game", "music", "car", "rain", "river", "lesson", "story"]
VERBS = {  # (third person, base form)
    +1: [("loves", "love"), ("likes", "like"), ("enjoys", "enjoy"),
         ("adores", "adore"), ("admires", "admire"), ("praises", "praise")],
    -1: [("hates", "hate"), ("dislikes", "dislike"), ("fears", "fear"),
         ("despises", "despise"), ("avoids", "avoid"), ("blames", "blame")],
    0: [("sees", "see"), ("finds", "find"), ("watches", "watch"),
        ("meets", "meet"), ("reads", "read"), ("visits", "visit")],
}
NEGATIONS = [(["does", "not"], 1), (["did", "not"], 1), (["never"], 0),
             (["no", "longer"], 0), (["hardly", "ever"], 0)]
ADVERBS = ["really", "often", "always", "still", "truly", "sometimes"]
CONJUNCTIONS = ["and", "but", "while", "whereas", "because"]


def text_vocab():
    words = set(DETS + ADJS + SUBJECTS + OBJECTS + ADVERBS + CONJUNCTIONS)
    for forms in VERBS.values():
        for pair in forms:
            words.update(pair)
    for neg, _ in NEGATIONS:
        words.update(neg)
    return ["[PAD]", "[CLS]"] + sorted(words)


def make_clause(rng):
    """A clause's words and polarity."""
    def pick(seq):
        return seq[rng.integers(len(seq))]
    words = [pick(DETS)] + [pick(ADJS) for _ in range(rng.integers(0, 3))]
    words.append(pick(SUBJECTS))
    polarity = int(rng.integers(-1, 2))
    third, base = pick(VERBS[polarity])
    verb = third
    middle = []
    if rng.random() < 0.45:
        neg, takes_base = NEGATIONS[rng.integers(len(NEGATIONS))]
        middle += neg
        verb = base if takes_base else third
        polarity = -polarity
    if rng.random() < 0.3:
        where = int(rng.integers(0, len(middle) + 1))
        middle.insert(where, pick(ADVERBS))
    words += middle + [verb, pick(DETS)]
    words += [pick(ADJS) for _ in range(rng.integers(0, 3))]
    words.append(pick(OBJECTS))
    return words, polarity


def make_sentences(rng, n):
    """n sentences as int64 ids [n, 32] ([CLS] first, 0 pads) and labels;
    the four classes are equally likely."""
    vocab = {w: i for i, w in enumerate(text_vocab())}
    xs = np.zeros((n, TEXT_LEN), np.int64)
    ys = rng.integers(0, len(TEXT_CLASSES), n)
    for i in range(n):
        while True:
            words, p = make_clause(rng)
            polarities = {p}
            if ys[i] == 3 or rng.random() < 0.55:
                more, q = make_clause(rng)
                words = words + [CONJUNCTIONS[rng.integers(len(CONJUNCTIONS))]] + more
                polarities.add(q)
            polarities.discard(0)
            label = (1 if not polarities else 3 if len(polarities) == 2
                     else 2 if 1 in polarities else 0)
            if label == ys[i]:
                break
        ids = [vocab["[CLS]"]] + [vocab[w] for w in words]
        xs[i, :len(ids)] = ids
    return xs, ys.astype(np.int64)


# ---------------------------------------------------------------------------
# Models.

def conv_bn_act(cin, cout, kernel, stride=1, groups=1, act=nn.ReLU):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2,
                        groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class SqueezeExcite(nn.Module):
    """Global average pool, 1x1 conv, ReLU, 1x1 conv, Hardsigmoid gate."""

    def __init__(self, channels, squeeze):
        super().__init__()
        self.reduce = nn.Conv2d(channels, squeeze, 1)
        self.relu = nn.ReLU()
        self.expand = nn.Conv2d(squeeze, channels, 1)
        self.gate = nn.Hardsigmoid()

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * self.gate(self.expand(self.relu(self.reduce(s))))


class InvertedResidual(nn.Module):
    """1x1 expansion, depthwise kxk (stride s), optional squeeze-excite,
    1x1 linear projection; a residual when the shape is kept."""

    def __init__(self, cin, expand, cout, kernel, stride, se, act):
        super().__init__()
        layers = []
        if expand != cin:
            layers.append(conv_bn_act(cin, expand, 1, act=act))
        layers.append(conv_bn_act(expand, expand, kernel, stride,
                                  groups=expand, act=act))
        if se:
            layers.append(SqueezeExcite(expand, max(8, expand // 4)))
        layers.append(conv_bn_act(expand, cout, 1, act=None))
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileNetV3Glyphs(nn.Module):
    """A MobileNetV3-Small-like network for 1x32x32 inputs."""

    # kernel, expansion, out channels, squeeze-excite, activation, stride
    BLOCKS = [(3, 16, 16, True, nn.ReLU, 2),        # 16x16
              (3, 64, 24, False, nn.ReLU, 1),
              (3, 72, 24, False, nn.ReLU, 1),
              (5, 96, 40, True, nn.Hardswish, 2),   # 8x8
              (5, 120, 40, True, nn.Hardswish, 1),
              (3, 120, 48, True, nn.Hardswish, 1),
              (5, 144, 64, True, nn.Hardswish, 2),  # 4x4
              (5, 192, 64, True, nn.Hardswish, 1)]

    def __init__(self, classes=len(GLYPH_CLASSES)):
        super().__init__()
        layers = [conv_bn_act(1, 16, 3, act=nn.Hardswish)]
        cin = 16
        for kernel, expand, cout, se, act, stride in self.BLOCKS:
            layers.append(InvertedResidual(cin, expand, cout, kernel, stride,
                                           se, act))
            cin = cout
        layers.append(conv_bn_act(cin, 256, 1, act=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(256, 128), nn.Hardswish(),
                                        nn.Dropout(0.1),
                                        nn.Linear(128, classes))

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)
        return self.classifier(x)


class Linear(nn.Linear):
    """nn.Linear that trains as a 1x1 convolution over the rows: the same
    function, but torch runs convolutions through oneDNN and matrix
    products through the system BLAS, which may be the slow reference one.
    Evaluation and the export use F.linear (MatMul/Gemm in the graph)."""

    def forward(self, x):
        if not self.training:
            return F.linear(x, self.weight, self.bias)
        rows = x.reshape(-1, self.in_features, 1, 1)
        y = F.conv2d(rows, self.weight[:, :, None, None], self.bias)
        return y.reshape(x.shape[:-1] + (self.out_features,))


class Attention(nn.Module):
    """Multi-head self-attention written with Linear, MatMul and Softmax."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = Linear(dim, 3 * dim)
        self.out = Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        h = self.heads
        q, k, v = self.qkv(x).reshape(b, n, 3, h, d // h).permute(
            2, 0, 3, 1, 4).unbind(0)
        weights = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // h))
        y = weights.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class EncoderLayer(nn.Module):
    """Attention and a GELU MLP, each with a residual; LayerNorm before
    (pre_norm, ViT) or after (BERT) each."""

    def __init__(self, dim, heads, hidden, pre_norm=True, dropout=0.0):
        super().__init__()
        self.pre_norm = pre_norm
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.mlp = nn.Sequential(Linear(dim, hidden), nn.GELU(),
                                 Linear(hidden, dim))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        if self.pre_norm:
            x = x + self.drop(self.attn(self.norm1(x)))
            return x + self.drop(self.mlp(self.norm2(x)))
        x = self.norm1(x + self.drop(self.attn(x)))
        return self.norm2(x + self.drop(self.mlp(x)))


def sincos_positions(side, dim):
    """Fixed 2-D sine-cosine position embeddings of a side x side grid,
    [1, side * side, dim] (a quarter of the channels per sin/cos of x/y)."""
    y, x = torch.meshgrid(torch.arange(side, dtype=torch.float32),
                          torch.arange(side, dtype=torch.float32),
                          indexing="ij")
    omega = 1.0 / 100.0 ** (torch.arange(dim // 4) / (dim // 4 - 1))
    x, y = x.reshape(-1, 1) * omega, y.reshape(-1, 1) * omega
    return torch.cat([x.sin(), x.cos(), y.sin(), y.cos()], 1)[None]


class ViTGlyphs(nn.Module):
    """4x4 patches of a 1x32x32 glyph (a strided conv), fixed 2-D
    sine-cosine positions, pre-LN encoder layers, a LayerNorm, the mean over
    the tokens and a head."""

    def __init__(self, dim=64, depth=4, heads=4, classes=len(GLYPH_CLASSES)):
        super().__init__()
        side = GLYPH_SIZE // 4
        self.patch = nn.Conv2d(1, dim, 4, stride=4)
        self.register_buffer("pos", sincos_positions(side, dim))
        self.layers = nn.ModuleList(EncoderLayer(dim, heads, 2 * dim)
                                    for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2) + self.pos
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x).mean(1))


class CrnnCtc(nn.Module):
    """Conv-BN-ReLU stages pooling a 1x32x160 line to 4x40, a (4, 1) conv
    to one row of 40 steps, learned positions, pre-LN encoder layers and a
    per-step classifier: logits [b, 40, 37], class 0 is the blank."""

    def __init__(self, dim=96, depth=2, heads=4,
                 classes=len(CTC_ALPHABET) + 1):
        super().__init__()
        steps = LINE_WIDTH // 4
        self.cnn = nn.Sequential(
            conv_bn_act(1, 16, 3), nn.MaxPool2d(2),            # 16x80
            conv_bn_act(16, 32, 3), nn.MaxPool2d(2),           # 8x40
            conv_bn_act(32, 64, 3), nn.MaxPool2d((2, 1)),      # 4x40
            conv_bn_act(64, 64, 3),
            nn.Conv2d(64, dim, (LINE_HEIGHT // 8, 1)),         # 1x40
        )
        self.pos = nn.Parameter(0.02 * torch.randn(1, steps, dim))
        self.layers = nn.ModuleList(EncoderLayer(dim, heads, 2 * dim)
                                    for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.cnn(x).flatten(2).transpose(1, 2) + self.pos
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x))


class BertText(nn.Module):
    """Token and position embeddings, a LayerNorm, post-LN encoder layers
    (BERT's), a tanh pooler on the [CLS] position and a classifier.
    Padding (id 0) is attended to like any token: no mask input."""

    def __init__(self, vocab, dim=64, depth=3, heads=4,
                 classes=len(TEXT_CLASSES)):
        super().__init__()
        self.token = nn.Embedding(vocab, dim)
        self.position = nn.Parameter(0.02 * torch.randn(1, TEXT_LEN, dim))
        self.norm = nn.LayerNorm(dim)
        self.layers = nn.ModuleList(
            EncoderLayer(dim, heads, 4 * dim, pre_norm=False, dropout=0.05)
            for _ in range(depth))
        self.pooler = nn.Linear(dim, dim)
        self.classifier = nn.Linear(dim, classes)

    def forward(self, input_ids):
        x = self.norm(self.token(input_ids) + self.position)
        for layer in self.layers:
            x = layer(x)
        return self.classifier(torch.tanh(self.pooler(x[:, 0])))


# ---------------------------------------------------------------------------
# Tasks and their training recipes (AdamW, one-cycle learning rate; bf16:
# bf16 autocast where the CPU has it). "data" names the generated data set:
# the glyph models share theirs.

MODELS = {
    "mnv3_glyphs": dict(
        data="glyphs", kind="classify", build=MobileNetV3Glyphs,
        input="image", output="logits", epochs=3, batch=64, lr=4e-3,
        weight_decay=1e-4),
    "vit_glyphs": dict(
        data="glyphs", kind="classify", build=ViTGlyphs,
        input="image", output="logits", epochs=5, batch=64, lr=3e-3,
        weight_decay=0.05, bf16=True),
    "crnn_ctc": dict(
        data="lines", kind="ctc", build=CrnnCtc,
        input="image", output="logits", epochs=2, batch=64, lr=2e-3,
        weight_decay=1e-4, bf16=True),
    "bert_text": dict(
        data="text", kind="classify",
        build=lambda: BertText(len(text_vocab())),
        input="input_ids", output="logits", epochs=6, batch=64, lr=1e-3,
        weight_decay=0.01, bf16=True),
}

DATA = {  # generator, train samples, test samples
    "glyphs": (render_glyphs, 24000, 1000),
    "lines": (render_lines, 24000, 500),
    "text": (make_sentences, 30000, 1000),
}


def task_seed(name, seed):
    return (zlib.crc32(name.encode()) + 7919 * seed) % 2 ** 31


_data_cache = {}


def get_data(name, seed):
    """(train, calib, test) pairs of numpy arrays of data set `name`, from
    three independent streams of one seed."""
    if (name, seed) not in _data_cache:
        generate, n_train, n_test = DATA[name]
        streams = np.random.SeedSequence(task_seed(name, seed)).spawn(3)
        start = time.time()
        train = generate(np.random.default_rng(streams[0]), n_train)
        calib = generate(np.random.default_rng(streams[1]), CALIB_SAMPLES)
        test = generate(np.random.default_rng(streams[2]), n_test)
        print("  %s data: %d train, %d calib, %d test samples (%.1f s)"
              % (name, n_train, CALIB_SAMPLES, n_test, time.time() - start),
              flush=True)
        _data_cache[(name, seed)] = (train, calib, test)
    return _data_cache[(name, seed)]


def ctc_loss(logits, labels):
    """CTC loss of logits [b, T, C] against labels [b, L] padded with -1."""
    log_probs = logits.log_softmax(-1).transpose(0, 1)
    lengths = (labels >= 0).sum(1)
    targets = labels[labels >= 0]
    steps = torch.full((logits.shape[0],), logits.shape[1], dtype=torch.long)
    return F.ctc_loss(log_probs, targets, steps, lengths, blank=0,
                      zero_infinity=True)


def ctc_greedy(logits):
    """Greedy CTC decoding of [n, T, C]: per-step argmax, repeats collapsed,
    blanks (0) dropped. A list of label-id lists."""
    out = []
    for row in np.asarray(logits).argmax(-1):
        ids, last = [], 0
        for k in row:
            if k != last and k != 0:
                ids.append(int(k))
            last = k
        out.append(ids)
    return out


def evaluate(model, kind, x, y, batch=250):
    """torch's float32 test metric: top-1 accuracy, or the share of lines
    read exactly."""
    model.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            outs.append(model(torch.from_numpy(x[i:i + batch])).numpy())
    out = np.concatenate(outs)
    if kind == "classify":
        return float(np.mean(out.argmax(-1) == y))
    read = ctc_greedy(out)
    return float(np.mean([r == [k for k in t if k >= 0]
                          for r, t in zip(read, y)]))


def native_bf16():
    """Whether the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX),
    where oneDNN's bf16 matrix products are many times faster than f32
    ones through a reference BLAS."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = set(next((l for l in f if l.startswith("flags")),
                             "").split())
    except OSError:
        return False
    return bool(flags & {"avx512_bf16", "amx_bf16"})


def train(name, spec, seed, train_data, test_data, bf16):
    """Train a fresh model (AdamW, one-cycle schedule), with bf16 autocast
    if `bf16` and the recipe allows it (the weights, the loss and the
    evaluation stay float32); returns the model in eval mode with the
    training time and the test metric."""
    bf16 = bf16 and spec.get("bf16", False)
    torch.manual_seed(seed)
    model = spec["build"]()
    x, y = (torch.from_numpy(a) for a in train_data)
    n = len(x)
    steps_per_epoch = n // spec["batch"]
    total = spec["epochs"] * steps_per_epoch
    decay = [p for p in model.parameters() if p.dim() > 1]
    other = [p for p in model.parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay},
                             {"params": other, "weight_decay": 0.0}],
                            lr=spec["lr"], weight_decay=spec["weight_decay"])
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=spec["lr"], total_steps=total, pct_start=0.15)
    gen = torch.Generator().manual_seed(seed + 1)
    start = time.time()
    for epoch in range(spec["epochs"]):
        model.train()
        order = torch.randperm(n, generator=gen)
        running = 0.0
        for step in range(steps_per_epoch):
            idx = order[step * spec["batch"]:(step + 1) * spec["batch"]]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                out = model(x[idx])
            out = out.float()
            if spec["kind"] == "ctc":
                loss = ctc_loss(out, y[idx])
            else:
                loss = F.cross_entropy(out, y[idx], label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 2.0)
            opt.step()
            sched.step()
            running += float(loss)
        metric = evaluate(model, spec["kind"], *test_data)
        print("  %s epoch %d: loss %.4f, test %.2f%% (%.0f s)"
              % (name, epoch + 1, running / steps_per_epoch, 100 * metric,
                 time.time() - start), flush=True)
    seconds = time.time() - start
    model.eval()
    return model, seconds, metric, "bf16 autocast" if bf16 else "float32"


# ---------------------------------------------------------------------------
# Export.

def op_counts(graph, counts=None):
    """Op type -> node count over a graph and its subgraphs."""
    counts = {} if counts is None else counts
    for node in graph.node:
        op = node.op_type
        if node.domain not in ("", "ai.onnx"):
            op = node.domain + "::" + op
        counts[op] = counts.get(op, 0) + 1
        for attr in node.attribute:
            for sub in [attr.g] if attr.HasField("g") else list(attr.graphs):
                op_counts(sub, counts)
    return counts


def export(model, example, in_name, out_name, path):
    """torch.onnx.export in eval mode at opset 13, static shapes, the
    TorchScript exporter; quietly (tracer warnings off)."""
    kwargs = dict(opset_version=OPSET, do_constant_folding=True,
                  input_names=[in_name], output_names=[out_name],
                  training=torch.onnx.TrainingMode.EVAL)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), path, **kwargs)


def check(path, out_shape):
    """onnx.checker plus shape inference: the output shape must be
    torch's. Returns the loaded model."""
    onnx.checker.check_model(path)
    model = onnx.load(path)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    out = inferred.graph.output[0]
    dims = [d.dim_value if d.HasField("dim_value") else None
            for d in out.type.tensor_type.shape.dim]
    if dims != list(out_shape):
        raise ValueError("output %s: inferred shape %s, torch gives %s"
                         % (out.name, dims, list(out_shape)))
    return model


def build(name, seed, out_dir, bf16):
    spec = MODELS[name]
    mseed = task_seed(name, seed)
    train_data, calib, test = get_data(spec["data"], seed)
    model, seconds, metric, precision = train(name, spec, mseed, train_data,
                                              test, bf16)

    folder = os.path.join(out_dir, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    path = os.path.join(folder, "model.onnx")
    example = torch.from_numpy(test[0][:1])
    with torch.no_grad():
        out_shape = tuple(model(example).shape)
    export(model, example, spec["input"], spec["output"], path)
    counts = op_counts(check(path, out_shape).graph)
    np.save(os.path.join(folder, "calib.npy"), calib[0])
    np.save(os.path.join(folder, "test_x.npy"), test[0])
    np.save(os.path.join(folder, "test_y.npy"), test[1])

    info = {
        "model": name, "task": spec["kind"], "data": spec["data"],
        "seed": seed, "model_seed": mseed, "opset": OPSET,
        "input": {"name": spec["input"], "shape": list(example.shape),
                  "dtype": str(test[0].dtype)},
        "output": {"name": spec["output"], "shape": list(out_shape),
                   "dtype": "float32"},
        "calib_samples": int(len(calib[0])),
        "test_samples": int(len(test[0])),
        "train_samples": int(len(train_data[0])),
        "epochs": spec["epochs"],
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    if spec["kind"] == "ctc":
        info.update(alphabet=CTC_ALPHABET, blank=0,
                    labels="id k >= 1 is alphabet[k - 1]; test_y pads "
                    "with -1", max_length=LINE_MAX,
                    metric="exact_line_accuracy",
                    preprocess="grey levels g -> g / 127.5 - 1")
    elif spec["data"] == "text":
        info.update(classes=TEXT_CLASSES, vocab=text_vocab(), pad_id=0,
                    metric="top1")
    else:
        info.update(classes=list(GLYPH_CLASSES), metric="top1",
                    preprocess="grey levels g -> g / 127.5 - 1")
    info.update({
        "f32_test_metric_torch": round(metric, 4),
        "train_seconds": round(seconds, 1),
        "train_precision": precision,
        "torch_threads": torch.get_num_threads(),
        "torch_version": torch.__version__,
        "onnx_bytes": os.path.getsize(path),
        "nodes": sum(counts.values()),
        "op_counts": dict(sorted(counts.items())),
    })
    with open(os.path.join(folder, "info.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    print("%s: test %s %.2f%%, trained in %.0f s, %d nodes, %.0f KB"
          % (name, info["metric"], 100 * metric, seconds, info["nodes"],
             info["onnx_bytes"] / 1024), flush=True)
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder")
    parser.add_argument("--models", help="comma-separated model names "
                        "(default: all, see --list)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the data and the training (default 0)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1)")
    parser.add_argument("--no-bf16", action="store_true",
                        help="train the transformers in float32 even where "
                        "the CPU has bfloat16 instructions (slower)")
    parser.add_argument("--list", action="store_true",
                        help="print the model names and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(MODELS))
        return 0
    if not args.out:
        parser.error("--out is required")
    names = args.models.split(",") if args.models else list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        parser.error("unknown model(s): %s (see --list)" % ", ".join(unknown))
    if args.threads < 1:
        parser.error("--threads must be at least 1")

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    os.makedirs(args.out, exist_ok=True)
    start = time.time()
    for name in names:
        build(name, args.seed, args.out, native_bf16() and not args.no_bf16)
    print("%d models in %.0f s" % (len(names), time.time() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
