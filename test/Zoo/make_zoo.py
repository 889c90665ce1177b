#!/usr/bin/python3
"""Build a zoo of ONNX models with seeded random weights, for qc's tests.

For every model M and opset N, writes (under --out only) a folder M-opN/:
  model.onnx    the model exported by torch.onnx (no dynamic axes)
  input_K.npy   a batch-1 test input for each model input K
  output_K.npy  torch's float32 outputs on that input (eval mode)
  calib.npy     single-input models: 8 more samples concatenated along the
                batch axis; multi-input models have calib/test_data_set_I/
                input_K.npy (I < 8) instead
  info.json     input/output names, shapes and dtypes, the opset and the
                sorted op types of the graph (domain::Op outside ai.onnx)

Nothing is downloaded: weights are random (torch.manual_seed per model) and
BatchNorm statistics come from a few train-mode passes on generated data
(smooth random images, sums of sines, random token ids).

  /usr/bin/python3 test/Zoo/make_zoo.py --out DIR [--opsets 11,13,17]
      [--models a,b,...] [--list]
"""

import argparse
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
import torchvision

CALIB_SAMPLES = 8   # samples in calib.npy / calib/
BN_PASSES = 4       # train-mode forward passes that set BatchNorm statistics
BN_BATCH = 4        # batch size of those passes
IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


# ---------------------------------------------------------------------------
# Data: every sampler takes a torch.Generator and a batch size n and returns
# a tuple of tensors (one per model input) whose n rows are independent.

def image_sampler(height, width):
    """Smooth random images: coarse uniform noise upsampled bilinearly, a
    little fine-grained texture, then ImageNet normalization."""
    def sample(gen, n):
        rows = []
        for _ in range(n):
            side = int(torch.randint(4, 17, (1,), generator=gen))
            coarse = torch.rand(1, 3, side, side, generator=gen)
            img = F.interpolate(coarse, size=(height, width), mode="bilinear",
                                align_corners=False)
            img += 0.03 * torch.randn(img.shape, generator=gen)
            rows.append(img.clamp(0.0, 1.0))
        return ((torch.cat(rows) - IMAGENET_MEAN) / IMAGENET_STD,)
    return sample


def audio_sampler(length, rate=16000):
    """A few random sines (80 Hz - 4 kHz) plus a little noise, [n, 1, L]."""
    def sample(gen, n):
        t = torch.arange(length, dtype=torch.float32) / rate
        rows = []
        for _ in range(n):
            k = int(torch.randint(2, 6, (1,), generator=gen))
            freq = 80.0 + 3920.0 * torch.rand(k, 1, generator=gen)
            amp = 0.05 + 0.3 * torch.rand(k, 1, generator=gen)
            phase = 2 * math.pi * torch.rand(k, 1, generator=gen)
            wave = (amp * torch.sin(2 * math.pi * freq * t + phase)).sum(0)
            wave += 0.01 * torch.randn(length, generator=gen)
            rows.append(wave.view(1, 1, length))
        return (torch.cat(rows),)
    return sample


def token_sampler(vocab, seq, padded=False):
    """Token ids uniform in the vocabulary, int64 [n, seq]; if padded, also
    an attention mask of 1s then trailing 0s (where the ids are 0)."""
    def sample(gen, n):
        ids = torch.randint(1 if padded else 0, vocab, (n, seq), generator=gen)
        if not padded:
            return (ids,)
        lengths = torch.randint(seq // 4, seq - 3, (n, 1), generator=gen)
        mask = (torch.arange(seq).view(1, seq) < lengths).long()
        return ids * mask, mask
    return sample


# ---------------------------------------------------------------------------
# Hand-written models, kept small. Attention is written out with Linear,
# matmul and softmax so that the export shows MatMul/Softmax explicitly.

class SelfAttention(nn.Module):
    """Multi-head self-attention; `pad` (bool, broadcastable to the scores)
    marks the positions to mask out, replaced by `fill`."""

    def __init__(self, dim, heads, fill=-1e4):
        super().__init__()
        self.heads, self.fill = heads, fill
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, pad=None):
        b, n, d = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        if pad is not None:
            scores = scores.masked_fill(pad, self.fill)
        out = scores.softmax(dim=-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    """Transformer block, pre-LayerNorm (x + attn(ln(x)), ViT/GPT) or
    post-LayerNorm (ln(x + attn(x)), BERT), with a GELU MLP."""

    def __init__(self, dim, heads, gelu, fill=-1e4, pre_norm=True):
        super().__init__()
        self.pre_norm = pre_norm
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads, fill)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), gelu,
                                 nn.Linear(4 * dim, dim))

    def forward(self, x, pad=None):
        if self.pre_norm:
            x = x + self.attn(self.ln1(x), pad)
            return x + self.mlp(self.ln2(x))
        x = self.ln1(x + self.attn(x, pad))
        return self.ln2(x + self.mlp(x))


class ViTSmall(nn.Module):
    """Vision Transformer: 16x16 patches by a strided Conv2d, a class token,
    learned position embeddings, pre-LN blocks and a linear head."""

    def __init__(self, image=96, patch=16, dim=128, depth=4, heads=4,
                 classes=10):
        super().__init__()
        tokens = (image // patch) ** 2 + 1
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        self.cls = nn.Parameter(0.02 * torch.randn(1, 1, dim))
        self.pos = nn.Parameter(0.02 * torch.randn(1, tokens, dim))
        self.blocks = nn.ModuleList(Block(dim, heads, nn.GELU())
                                    for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x)[:, 0])


class BertTiny(nn.Module):
    """BERT-style encoder over (input_ids, attention_mask): word, position
    and token-type embeddings, padding masked with where(mask == 0, ...)
    expanded to [batch, heads, seq, seq], post-LN blocks with an erf GELU,
    a tanh pooler and a classifier. Returns the last hidden state and the
    logits."""

    def __init__(self, vocab=1000, seq=32, dim=128, layers=3, heads=4,
                 classes=2):
        super().__init__()
        self.heads = heads
        self.word = nn.Embedding(vocab, dim)
        self.position = nn.Embedding(seq, dim)
        self.token_type = nn.Embedding(2, dim)
        self.register_buffer("position_ids", torch.arange(seq).view(1, seq))
        self.register_buffer("type_ids", torch.zeros(1, seq, dtype=torch.long))
        self.ln = nn.LayerNorm(dim)
        self.layers = nn.ModuleList(Block(dim, heads, nn.GELU(),
                                          pre_norm=False)
                                    for _ in range(layers))
        self.pooler = nn.Linear(dim, dim)
        self.classifier = nn.Linear(dim, classes)

    def forward(self, input_ids, attention_mask):
        b, n = input_ids.shape
        x = (self.word(input_ids) + self.position(self.position_ids)
             + self.token_type(self.type_ids))
        x = self.ln(x)
        pad = (attention_mask == 0)[:, None, None, :].expand(
            b, self.heads, n, n)
        for layer in self.layers:
            x = layer(x, pad)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return x, self.classifier(pooled)


class GptBlocks(nn.Module):
    """GPT-style decoder: token and position embeddings, pre-LN blocks with a
    causal mask built in forward (positions compared with arange, which
    exports at every opset, where torch.tril needs Trilu from opset 14),
    tanh GELU, an LM head."""

    def __init__(self, vocab=1000, seq=32, dim=128, layers=2, heads=4):
        super().__init__()
        self.token = nn.Embedding(vocab, dim)
        self.position = nn.Parameter(0.02 * torch.randn(1, seq, dim))
        fill = torch.finfo(torch.float32).min
        self.blocks = nn.ModuleList(
            Block(dim, heads, nn.GELU(approximate="tanh"), fill)
            for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids):
        n = input_ids.shape[1]
        x = self.token(input_ids) + self.position[:, :n]
        pos = torch.arange(n, device=x.device)
        future = pos.view(1, n) > pos.view(n, 1)
        for block in self.blocks:
            x = block(x, future)
        return self.lm_head(self.norm(x))


def conv_bn_act(cin, cout, kernel, stride=1, act=nn.SiLU, dims=2):
    """Conv (bias-free) + BatchNorm + activation, 'same'-style padding."""
    conv = nn.Conv2d if dims == 2 else nn.Conv1d
    bn = nn.BatchNorm2d if dims == 2 else nn.BatchNorm1d
    return nn.Sequential(conv(cin, cout, kernel, stride, kernel // 2,
                              bias=False), bn(cout), act())


class AudioCnn(nn.Module):
    """1-D CNN keyword classifier on a raw 1 s, 16 kHz waveform."""

    def __init__(self, classes=35):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 32, 80, stride=4, padding=38), nn.BatchNorm1d(32),
            nn.ReLU(), nn.MaxPool1d(4),
            conv_bn_act(32, 32, 3, act=nn.ReLU, dims=1), nn.MaxPool1d(4),
            conv_bn_act(32, 64, 3, act=nn.ReLU, dims=1), nn.MaxPool1d(4),
            conv_bn_act(64, 64, 3, stride=2, act=nn.ReLU, dims=1),
            nn.AdaptiveAvgPool1d(1))
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


class YoloHead(nn.Module):
    """YOLO-style detector: SiLU/BatchNorm backbone to strides 8 and 16, a
    top-down neck (nearest 2x upsample + concat) and 1x1 detection convs
    giving [1, anchors * (5 + classes), h, w] at both strides."""

    def __init__(self, anchors=3, classes=20):
        super().__init__()
        out = anchors * (5 + classes)
        self.stem = nn.Sequential(conv_bn_act(3, 16, 3, 2),
                                  conv_bn_act(16, 32, 3, 2),
                                  conv_bn_act(32, 32, 3))
        self.c3 = nn.Sequential(conv_bn_act(32, 64, 3, 2),
                                conv_bn_act(64, 64, 3))       # stride 8
        self.c4 = nn.Sequential(conv_bn_act(64, 128, 3, 2),
                                conv_bn_act(128, 128, 3))     # stride 16
        self.pool = nn.MaxPool2d(5, stride=1, padding=2)      # SPPF-like
        self.lateral = conv_bn_act(256, 64, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.fuse = conv_bn_act(128, 64, 3)
        self.head8 = nn.Conv2d(64, out, 1)
        self.head16 = nn.Conv2d(64, out, 1)

    def forward(self, x):
        p3 = self.c3(self.stem(x))
        p4 = self.c4(p3)
        p4 = self.lateral(torch.cat([p4, self.pool(p4)], dim=1))
        p3 = self.fuse(torch.cat([p3, self.up(p4)], dim=1))
        return self.head8(p3), self.head16(p4)


class SegmentationOut(nn.Module):
    """Exports out['out'] of a torchvision segmentation model."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


# ---------------------------------------------------------------------------
# The registry: name -> (factory, sampler, input names, output names).

def _classifier(name, **kwargs):
    def build():
        return getattr(torchvision.models, name)(weights=None, **kwargs)
    return build, image_sampler(224, 224), ["input"], ["logits"]


MODELS = {name: _classifier(name) for name in [
    "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "resnet18",
    "resnet50", "squeezenet1_1", "shufflenet_v2_x1_0", "efficientnet_b0",
    "mnasnet1_0", "regnet_y_400mf", "densenet121"]}
MODELS["googlenet"] = _classifier("googlenet", aux_logits=False,
                                  init_weights=True)
MODELS["convnext_tiny"] = _classifier("convnext_tiny")
MODELS["lraspp_mobilenet_v3_large"] = (
    lambda: SegmentationOut(
        torchvision.models.segmentation.lraspp_mobilenet_v3_large(
            weights=None, weights_backbone=None)),
    image_sampler(224, 224), ["input"], ["out"])
MODELS["vit_small"] = (ViTSmall, image_sampler(96, 96), ["input"],
                       ["logits"])
MODELS["bert_tiny"] = (BertTiny, token_sampler(1000, 32, padded=True),
                       ["input_ids", "attention_mask"],
                       ["last_hidden_state", "logits"])
MODELS["gpt_block"] = (GptBlocks, token_sampler(1000, 32), ["input_ids"],
                       ["logits"])
MODELS["audio_cnn"] = (AudioCnn, audio_sampler(16000), ["waveform"],
                       ["logits"])
MODELS["yolo_head"] = (YoloHead, image_sampler(128, 128), ["images"],
                       ["det_stride8", "det_stride16"])


# ---------------------------------------------------------------------------

def realistic_parameters(model, gen):
    """Replace the constants that some parameters start training with by
    random values closer to a trained network's: BatchNorm scale and shift
    (1 and 0 at init) and ConvNeXt's layer scale (1e-6 at init)."""
    with torch.no_grad():
        for module in model.modules():
            if (isinstance(module, nn.modules.batchnorm._BatchNorm)
                    and module.affine):
                module.weight.copy_(0.5 + torch.rand(module.weight.shape,
                                                     generator=gen))
                module.bias.copy_(0.1 * torch.randn(module.bias.shape,
                                                    generator=gen))
        for name, param in model.named_parameters():
            if name.endswith("layer_scale"):
                param.copy_(0.1 + 0.4 * torch.rand(param.shape, generator=gen))


def calibrate_batchnorm(model, sampler, gen):
    """Set BatchNorm running statistics from a few train-mode passes with
    cumulative averaging, then leave the model in eval mode."""
    bns = [m for m in model.modules()
           if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if bns:
        for bn in bns:
            bn.reset_running_stats()
            bn.momentum = None
        model.train()
        with torch.no_grad():
            for _ in range(BN_PASSES):
                model(*sampler(gen, BN_BATCH))
    model.eval()


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


def tensor_info(name, array):
    return {"name": name, "shape": list(array.shape),
            "dtype": str(array.dtype)}


def write_data(folder, inputs, outputs, calib):
    """The test input and output .npy files and the calibration data."""
    for prefix, arrays in (("input", inputs), ("output", outputs)):
        for k, array in enumerate(arrays):
            np.save(os.path.join(folder, "%s_%d.npy" % (prefix, k)), array)
    if len(calib) == 1:
        np.save(os.path.join(folder, "calib.npy"), calib[0].numpy())
        return
    for i in range(CALIB_SAMPLES):
        sub = os.path.join(folder, "calib", "test_data_set_%d" % i)
        os.makedirs(sub)
        for k, tensor in enumerate(calib):
            np.save(os.path.join(sub, "input_%d.npy" % k),
                    tensor[i:i + 1].numpy())


def export(model, inputs, in_names, out_names, opset, path):
    """torch.onnx.export in eval mode, quietly (tracer warnings off)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, inputs, path, opset_version=opset,
                          do_constant_folding=True, input_names=in_names,
                          output_names=out_names,
                          training=torch.onnx.TrainingMode.EVAL)


def check(path, out_arrays):
    """onnx.checker plus shape inference; the inferred output shapes must
    be torch's. Returns the loaded model."""
    onnx.checker.check_model(path)
    model = onnx.load(path)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    for out, array in zip(inferred.graph.output, out_arrays):
        dims = [d.dim_value if d.HasField("dim_value") else None
                for d in out.type.tensor_type.shape.dim]
        if dims != list(array.shape):
            raise ValueError("output %s: inferred shape %s, torch gives %s"
                             % (out.name, dims, list(array.shape)))
    return model


def prepare(name):
    """The model with its weights and BatchNorm statistics set (eval mode),
    the test input, torch's outputs on it and the calibration samples."""
    factory, sampler = MODELS[name][:2]
    seed = zlib.crc32(name.encode())
    torch.manual_seed(seed)
    model = factory()
    gen = torch.Generator().manual_seed(seed + 1)
    realistic_parameters(model, gen)
    calibrate_batchnorm(model, sampler, gen)
    inputs = sampler(gen, 1)
    calib = sampler(gen, CALIB_SAMPLES)
    with torch.no_grad():
        outputs = model(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    return seed, model, inputs, [t.numpy().astype(np.float32)
                                 for t in outputs], calib


def build_model(name, opsets, out_dir):
    """Build one model and export it at each opset. Returns the numbers of
    combinations built, skipped and failed."""
    in_names, out_names = MODELS[name][2:]
    start = time.time()
    seed, model, inputs, outputs, calib = prepare(name)
    ins = [t.numpy() for t in inputs]
    setup = time.time() - start
    done = {"built": 0, "skipped": 0, "failed": 0}
    for opset in opsets:
        start = time.time()
        tag = "%s-op%d" % (name, opset)
        folder = os.path.join(out_dir, tag)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        path = os.path.join(folder, "model.onnx")
        try:
            export(model, inputs, in_names, out_names, opset, path)
        except OSError:
            raise
        except Exception as err:  # torch cannot export this combination
            shutil.rmtree(folder)
            reason = (str(err).strip().splitlines() or [""])[0]
            print("  skipped %s: %s: %s" % (tag, type(err).__name__, reason))
            done["skipped"] += 1
            continue
        try:
            counts = op_counts(check(path, outputs).graph)
        except Exception as err:  # left in place for a look
            print("  FAILED %s: the exported model does not check: %s"
                  % (tag, err))
            done["failed"] += 1
            continue
        write_data(folder, ins, outputs, calib)
        info = {
            "model": name, "opset": opset, "seed": seed,
            "inputs": [tensor_info(n, a) for n, a in zip(in_names, ins)],
            "outputs": [tensor_info(n, a) for n, a in zip(out_names, outputs)],
            "calib": "calib.npy" if len(calib) == 1 else "calib/",
            "nodes": sum(counts.values()),
            "ops": sorted(counts),
            "op_counts": dict(sorted(counts.items())),
        }
        with open(os.path.join(folder, "info.json"), "w") as f:
            json.dump(info, f, indent=1)
            f.write("\n")
        print("  built %s: %d nodes, %d op types, %.1f s"
              % (tag, info["nodes"], len(counts), time.time() - start))
        done["built"] += 1
    print("%s: %d built, %d skipped, %d failed (setup %.1f s)"
          % (name, done["built"], done["skipped"], done["failed"], setup),
          flush=True)
    return done["built"], done["skipped"], done["failed"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder")
    parser.add_argument("--opsets", default="11,13,17",
                        type=lambda s: [int(n) for n in s.split(",")],
                        help="comma-separated ONNX opsets (default 11,13,17)")
    parser.add_argument("--models", help="comma-separated model names "
                        "(default: all, see --list)")
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

    torch.set_grad_enabled(False)
    os.makedirs(args.out, exist_ok=True)
    start = time.time()
    totals = [0, 0, 0]
    for name in names:
        done = build_model(name, args.opsets, args.out)
        totals = [a + b for a, b in zip(totals, done)]
    print("%d built, %d skipped, %d failed in %.0f s"
          % (*totals, time.time() - start))
    return 0 if totals[0] and not totals[2] else 1


if __name__ == "__main__":
    sys.exit(main())
