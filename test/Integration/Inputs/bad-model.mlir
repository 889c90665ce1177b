func.func @m(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = qc.add %x, %x : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
