"""Writes small TorchScript encoders and PyTorch's outputs for the torchscript encoder tests.

  python3 torchscript_encoder.py image DIR   DIR/encoder.pt: (B, 3, H, W) float -> (B, 16);
                                             DIR/reference.json: a fixed input and PyTorch's output
  python3 torchscript_encoder.py text DIR    DIR/encoder.pt: (B, T) int64 tokens + (B, T) int64 mask
                                             -> (B, 16); DIR/reference.json likewise

Needs Debian's python3-torch. The modules are traced with a fixed seed (torch.jit.trace), as a
user would make a .pt file from a pretrained model; eval() before tracing, as the encoder runs them.
"""
import json
import os
import sys

import torch


class ImageEncoder(torch.nn.Module):
    """Conv 3x3 stride 2 + ReLU, conv 3x3 stride 2 + ReLU, global average pooling, linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.head = torch.nn.Linear(16, 16)

    def forward(self, images):
        x = torch.relu(self.conv1(images))
        x = torch.relu(self.conv2(x))
        return self.head(x.mean(dim=(2, 3)))


class TextEncoder(torch.nn.Module):
    """Token embedding, linear + tanh, mean over the real tokens (mask 1), linear."""

    def __init__(self, vocabulary):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocabulary, 16)
        self.hidden = torch.nn.Linear(16, 16)
        self.head = torch.nn.Linear(16, 16)

    def forward(self, tokens, mask):
        x = torch.tanh(self.hidden(self.embedding(tokens)))
        weights = mask.to(x.dtype).unsqueeze(-1)
        pooled = (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        return self.head(pooled)


def main(kind, out):
    torch.manual_seed(1234)
    os.makedirs(out, exist_ok=True)
    if kind == "image":
        model = ImageEncoder().eval()
        example = (torch.linspace(-1.0, 1.0, 2 * 3 * 16 * 16).reshape(2, 3, 16, 16).sin() * 2.0,)
    elif kind == "text":
        model = TextEncoder(259).eval()
        tokens = (torch.arange(2 * 8, dtype=torch.int64).reshape(2, 8) * 37) % 259
        mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.int64)
        example = (tokens, mask)
    else:
        raise SystemExit("kind must be image or text, got " + kind)
    traced = torch.jit.trace(model, example)
    traced.save(os.path.join(out, "encoder.pt"))
    with torch.no_grad():
        output = traced(*example)
    reference = {
        "inputs": [{"shape": list(x.shape), "dtype": str(x.dtype).replace("torch.", ""),
                    "values": x.flatten().tolist()} for x in example],
        "output": {"shape": list(output.shape), "values": output.flatten().tolist()},
    }
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(reference, f)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
