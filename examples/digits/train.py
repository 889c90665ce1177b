#!/usr/bin/python3
"""Trains the bundled example: a small CNN on the 8x8 handwritten digits that
scikit-learn ships, and exports it to ONNX.

Run with Debian's python3 (it sees python3-torch, python3-sklearn and
python3-onnx):

    /usr/bin/python3 examples/digits/train.py

Writes, next to this script:
  digits.onnx   the float model (opset 13, batch dim symbolic "N")
  test_x.npy    the test split, float32 [360, 1, 8, 8], pixels in [0, 1]
  test_y.npy    its labels, int64 [360]
  calib.npy     1024 training images for calibration, float32 [1024, 1, 8, 8]
The outputs are committed, so building and testing qc needs no torch.
"""

import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


class DigitsNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1),
            torch.nn.BatchNorm2d(16),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
        )
        self.classifier = torch.nn.Linear(32 * 2 * 2, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def main():
    # Imported here: bench/make_qdq.py imports DigitsNet without scikit-learn.
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    torch.manual_seed(0)
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=360, random_state=0, stratify=y)

    model = DigitsNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for epoch in range(40):
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(x_test)).argmax(1).numpy()
    print(f"float test accuracy: {(pred == y_test).mean() * 100:.2f}%")

    torch.onnx.export(model, torch.from_numpy(x_test[:1]),
                      os.path.join(HERE, "digits.onnx"),
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
                      opset_version=13)
    np.save(os.path.join(HERE, "test_x.npy"), x_test)
    np.save(os.path.join(HERE, "test_y.npy"), y_test)
    np.save(os.path.join(HERE, "calib.npy"), x_train[:1024])


if __name__ == "__main__":
    main()
