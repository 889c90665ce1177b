func.func @wide(%x: tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i16:f32, 0.001:-7>> {
  %q = qc.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<i16:f32, 0.001:-7>>
  return %q : tensor<1x4x!quant.uniform<i16:f32, 0.001:-7>>
}
