// RUN: qopt %s -split-input-file -verify-diagnostics

// The verifiers of #qc.kernel and the packed products: what a kernel kind
// allows, and the packed weight sizes its K padding implies.

func.func @unknown_kind(%a: tensor<16x64xf32>, %w: tensor<1024xf32>, %b: tensor<16xf32>) -> tensor<16x16xf32> {
  // expected-error @+1 {{unknown kernel kind 'tiles' (expected amx, vnni512, vnni256, avx2-maddwd, neon-sdot, fma or depthwise)}}
  %y = qc.packed_matmul %a, %w, %b {kernel = #qc.kernel<kind = "tiles", lanes = 16, kGroup = 1, tileRows = 1, tileVectors = 1, blockRows = 1, shift = 0>} : (tensor<16x64xf32>, tensor<1024xf32>, tensor<16xf32>) -> tensor<16x16xf32>
  return %y : tensor<16x16xf32>
}

// -----

func.func @amx_tile(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<2048xi8>, %b: tensor<32xi32>, %m: tensor<32xf32>) -> tensor<16x32x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{an amx kernel has 16 lanes, 2 vectors and 16 or 32 rows, got 16 lanes, tile 8x2}}
  %y = qc.packed_matmul %a, %w, %b, %m {kernel = #qc.kernel<kind = "amx", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 2, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<2048xi8>, tensor<32xi32>, tensor<32xf32>) -> tensor<16x32x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x32x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// AMX pads K (36) to 64, not to the K group: 32 columns x 64 bytes.
func.func @amx_depth(%a: tensor<16x36x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<1152xi8>, %b: tensor<32xi32>, %m: tensor<32xf32>) -> tensor<16x32x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{weights must have 2048 elements for this kernel, got 'tensor<1152xi8>'}}
  %y = qc.packed_matmul %a, %w, %b, %m {kernel = #qc.kernel<kind = "amx", lanes = 16, kGroup = 4, tileRows = 16, tileVectors = 2, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64} : (tensor<16x36x!quant.uniform<u8:f32, 0.5:3>>, tensor<1152xi8>, tensor<32xi32>, tensor<32xf32>) -> tensor<16x32x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x32x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

func.func @amx_conv_depth(%x: tensor<1x4x6x6x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<16x36xi8>, %b: tensor<16xi32>, %m: tensor<16xf32>) -> tensor<1x16x6x6x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{weights must be [16][64], got 'tensor<16x36xi8>'}}
  %y = qc.packed_conv2d %x, %w, %b, %m {kernel = #qc.kernel<kind = "amx", lanes = 16, kGroup = 4, tileRows = 16, tileVectors = 2, blockRows = 16, shift = 0>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, out_max = 255 : i64, out_min = 0 : i64} : (tensor<1x4x6x6x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x36xi8>, tensor<16xi32>, tensor<16xf32>) -> tensor<1x16x6x6x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x16x6x6x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A fused residual add: the residual comes with the type the product is
// requantized to, and has the result's shape.
func.func @residual_without_sum_type(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>, %r: tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{a residual and 'sum_type' go together}}
  %y = qc.packed_matmul %a, %w, %b, %m residual %r {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>, tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

func.func @residual_shape(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>, %r: tensor<1x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{the residual must have the result's shape}}
  %y = qc.packed_matmul %a, %w, %b, %m residual %r {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64, sum_type = !quant.uniform<u8:f32, 2.0:5>} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>, tensor<1x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// An f32 product adds an f32 residual to its sums: no 'sum_type', the
// result's shape.
func.func @residual_f32_sum_type(%a: tensor<16x64xf32>, %w: tensor<3072xf32>, %b: tensor<48xf32>, %r: tensor<16x48xf32>) -> tensor<16x48xf32> {
  // expected-error @+1 {{an f32 product's residual is f32, with no 'sum_type'}}
  %y = qc.packed_matmul %a, %w, %b residual %r {kernel = #qc.kernel<kind = "fma", lanes = 16, kGroup = 1, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, sum_type = f32} : (tensor<16x64xf32>, tensor<3072xf32>, tensor<48xf32>, tensor<16x48xf32>) -> tensor<16x48xf32>
  return %y : tensor<16x48xf32>
}

// -----

func.func @residual_f32_shape(%a: tensor<16x64xf32>, %w: tensor<3072xf32>, %b: tensor<48xf32>, %r: tensor<48xf32>) -> tensor<16x48xf32> {
  // expected-error @+1 {{the residual must have the result's shape}}
  %y = qc.packed_matmul %a, %w, %b residual %r {kernel = #qc.kernel<kind = "fma", lanes = 16, kGroup = 1, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>} : (tensor<16x64xf32>, tensor<3072xf32>, tensor<48xf32>, tensor<48xf32>) -> tensor<16x48xf32>
  return %y : tensor<16x48xf32>
}

// -----

func.func @residual_exact(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %r: tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{a fused residual add takes 8-bit tensors quantized per tensor and a product requantized to 8 or 16 bits}}
  %y = qc.packed_matmul %a, %w, %b residual %r {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64, sum_type = !quant.uniform<u8:f32, 2.0:5>} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

func.func @block_depth_not_fma(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{kernel blockDepth must be 0, or positive for an fma kernel, got 64}}
  %y = qc.packed_matmul %a, %w, %b, %m {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0, blockDepth = 64>, out_max = 255 : i64, out_min = 0 : i64} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

func.func @clamp_on_quantized(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{'clamp_min' and 'clamp_max' are for f32 results ('out_min' and 'out_max' clamp quantized ones)}}
  %y = qc.packed_matmul %a, %w, %b, %m {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64, clamp_min = 0.0 : f32} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A requantized result is stored as 8-bit or 16-bit values, not wider.
func.func @wide_without_residual(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>) -> tensor<16x48x!quant.uniform<i32:f32, 0.01:-5>> {
  // expected-error @+1 {{a requantized result has 8-bit or 16-bit storage}}
  %y = qc.packed_matmul %a, %w, %b, %m {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 32767 : i64, out_min = -32768 : i64} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>) -> tensor<16x48x!quant.uniform<i32:f32, 0.01:-5>>
  return %y : tensor<16x48x!quant.uniform<i32:f32, 0.01:-5>>
}

// -----

// A 16-bit sum type with a residual is valid; a 32-bit one is not.
func.func @residual_i32_sum(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>, %r: tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{a fused residual add takes 8-bit tensors quantized per tensor and a product requantized to 8 or 16 bits}}
  %y = qc.packed_matmul %a, %w, %b, %m residual %r {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64, sum_type = !quant.uniform<i32:f32, 0.01:-5>} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>, tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A fused activation: a known kind, its attributes only with it, a 16-bit
// sum type and an 8-bit result, no quantized residual.
func.func @activation_unknown(%a: tensor<16x64xf32>, %w: tensor<3072xf32>, %b: tensor<48xf32>) -> tensor<16x48xf32> {
  // expected-error @+1 {{unknown activation 'swish'}}
  %y = qc.packed_matmul %a, %w, %b {activation = "swish", kernel = #qc.kernel<kind = "fma", lanes = 16, kGroup = 1, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>} : (tensor<16x64xf32>, tensor<3072xf32>, tensor<48xf32>) -> tensor<16x48xf32>
  return %y : tensor<16x48xf32>
}

// -----

func.func @activation_attr_alone(%a: tensor<16x64xf32>, %w: tensor<3072xf32>, %b: tensor<48xf32>) -> tensor<16x48xf32> {
  // expected-error @+1 {{'activation_alpha' needs 'activation'}}
  %y = qc.packed_matmul %a, %w, %b {activation_alpha = 0.5 : f32, kernel = #qc.kernel<kind = "fma", lanes = 16, kGroup = 1, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>} : (tensor<16x64xf32>, tensor<3072xf32>, tensor<48xf32>) -> tensor<16x48xf32>
  return %y : tensor<16x48xf32>
}

// -----

func.func @activation_narrow_sum(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{a fused activation takes a product requantized to 16 bits ('sum_type') and has an 8-bit result quantized per tensor}}
  %y = qc.packed_matmul %a, %w, %b, %m {activation = "gelu", kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 255 : i64, out_min = 0 : i64, sum_type = !quant.uniform<u8:f32, 2.0:5>} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

func.func @activation_residual(%a: tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<3072xi8>, %b: tensor<48xi32>, %m: tensor<48xf32>, %r: tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error @+1 {{a fused activation does not take a quantized residual}}
  %y = qc.packed_matmul %a, %w, %b, %m residual %r {activation = "gelu", kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0>, out_max = 32767 : i64, out_min = -32768 : i64, sum_type = !quant.uniform<i16:f32, 2.0:5>} : (tensor<16x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<3072xi8>, tensor<48xi32>, tensor<48xf32>, tensor<16x48x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<16x48x!quant.uniform<u8:f32, 1.0:3>>
}
