//===- QCTypeUtils.cpp - Helpers for tensors of !quant.uniform ------------===//
//
// Queries and checks of quantized element types shared across qc.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

quant::QuantizedType mlir::qc::getQuantElementType(Type type) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
}

quant::UniformQuantizedType mlir::qc::getPerTensorType(Type type) {
  return dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
}

quant::UniformQuantizedPerAxisType mlir::qc::getPerAxisType(Type type) {
  return dyn_cast<quant::UniformQuantizedPerAxisType>(
      getElementTypeOrSelf(type));
}

StorageRange mlir::qc::getClampedStorageRange(quant::UniformQuantizedType type,
                                              FloatAttr min, FloatAttr max) {
  StorageRange range = getStorageRange(type);
  StorageRange clamped = range;
  float scale = float(type.getScale());
  if (min)
    clamped.min =
        std::max(range.min, quantize(min.getValue().convertToFloat(), scale,
                                     type.getZeroPoint(), range));
  if (max)
    clamped.max =
        std::min(range.max, quantize(max.getValue().convertToFloat(), scale,
                                     type.getZeroPoint(), range));
  return clamped;
}

StorageRange mlir::qc::getStorageRange(quant::QuantizedType type) {
  StorageRange r;
  r.min = type.getStorageTypeMin();
  r.max = type.getStorageTypeMax();
  return r;
}

RankedTensorType mlir::qc::withElementType(Type like, Type elementType) {
  return cast<RankedTensorType>(like).clone(elementType);
}

IntegerType mlir::qc::getStorageIntegerType(quant::QuantizedType type) {
  return IntegerType::get(type.getContext(), type.getStorageTypeIntegralWidth(),
                          type.isSigned() ? IntegerType::Signless
                                          : IntegerType::Unsigned);
}

LogicalResult mlir::qc::verifyQuantizedTensorType(
    llvm::function_ref<InFlightDiagnostic()> emitError, Type type,
    StringRef what) {
  auto qtype = getQuantElementType(type);
  if (!qtype)
    return success();
  if (!qtype.getExpressedType().isF32())
    return emitError() << what << " must have an f32 expressed type, got "
                       << qtype;
  StorageRange range = getStorageRange(qtype);
  auto checkZeroPoint = [&](int64_t zp) -> LogicalResult {
    if (range.contains(zp))
      return success();
    return emitError() << what << " zero point " << zp
                       << " is outside the storage range [" << range.min
                       << ", " << range.max << "]";
  };
  // The quant dialect rejects zero, negative and infinite scales when it
  // parses a type but lets NaN through (every comparison with NaN is false),
  // and types built without getChecked are not verified at all.
  auto checkScale = [&](double scale) -> LogicalResult {
    if (scale > 0 && std::isfinite(scale))
      return success();
    return emitError() << what << " scale " << scale
                       << " must be positive and finite";
  };
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(qtype)) {
    if (failed(checkScale(perTensor.getScale())))
      return failure();
    return checkZeroPoint(perTensor.getZeroPoint());
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype);
  if (!perAxis)
    return emitError() << what
                       << " must be a !quant.uniform type (per-tensor or "
                          "per-axis), got "
                       << qtype;
  for (double scale : perAxis.getScales())
    if (failed(checkScale(scale)))
      return failure();
  for (int64_t zp : perAxis.getZeroPoints())
    if (failed(checkZeroPoint(zp)))
      return failure();
  auto shaped = cast<ShapedType>(type);
  int64_t axis = perAxis.getQuantizedDimension();
  if (axis < 0 || axis >= shaped.getRank())
    return emitError() << what << " quantization axis " << axis
                       << " is out of range for rank " << shaped.getRank();
  int64_t dim = shaped.getDimSize(axis);
  if (!ShapedType::isDynamic(dim) &&
      dim != static_cast<int64_t>(perAxis.getScales().size()))
    return emitError() << what << " has " << perAxis.getScales().size()
                       << " scales but dimension " << axis << " has size "
                       << dim;
  return success();
}

quant::QuantizedType mlir::qc::buildQuantType(MLIRContext *context,
                                              const QuantScheme &scheme,
                                              ArrayRef<QuantParams> params,
                                              std::optional<int64_t> axis) {
  StorageRange range = scheme.range();
  auto storage = IntegerType::get(context, scheme.bits);
  auto expressed = Float32Type::get(context);
  unsigned flags = scheme.isSigned ? quant::QuantizationFlags::Signed : 0;
  if (!axis)
    return quant::UniformQuantizedType::get(
        flags, storage, expressed, params.front().scale,
        params.front().zeroPoint, range.min, range.max);
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (const QuantParams &p : params) {
    scales.push_back(p.scale);
    zeroPoints.push_back(p.zeroPoint);
  }
  return quant::UniformQuantizedPerAxisType::get(flags, storage, expressed,
                                                 scales, zeroPoints, *axis,
                                                 range.min, range.max);
}

SmallVector<QuantParams> mlir::qc::getQuantParams(quant::QuantizedType type) {
  SmallVector<QuantParams> params;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.push_back({perTensor.getScale(), perTensor.getZeroPoint()});
  } else if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    for (auto [scale, zp] :
         llvm::zip(perAxis.getScales(), perAxis.getZeroPoints()))
      params.push_back({scale, zp});
  }
  return params;
}

std::pair<double, double>
mlir::qc::getRepresentableRange(quant::UniformQuantizedType type) {
  double scale = type.getScale();
  int64_t zp = type.getZeroPoint();
  return {scale * double(type.getStorageTypeMin() - zp),
          scale * double(type.getStorageTypeMax() - zp)};
}

SmallVector<float> mlir::qc::getRequantMultipliers(Type input, Type weight,
                                                   Type output,
                                                   int64_t channels) {
  auto in = getPerTensorType(input);
  auto out = getPerTensorType(output);
  SmallVector<QuantParams> w = getQuantParams(getQuantElementType(weight));
  SmallVector<float> m;
  for (int64_t c = 0; c < channels; ++c)
    m.push_back(computeRequantMultiplier(
        in.getScale(), w[w.size() == 1 ? 0 : c].scale, out.getScale()));
  return m;
}

bool mlir::qc::isExactAccumulatorOutput(Type output,
                                        ArrayRef<float> multipliers) {
  auto out = getPerTensorType(output);
  return out && out.getStorageTypeIntegralWidth() == 32 &&
         out.getZeroPoint() == 0 &&
         llvm::all_of(multipliers, [](float m) { return m == 1.0f; });
}
