// Kernel names: the contract between backend-agnostic ops and per-backend kernels.
export const Neg = "Neg";
export const Abs = "Abs";
export const Sign = "Sign";
export const Sqrt = "Sqrt";
export const Exp = "Exp";
export const Log = "Log";
export const Log1p = "Log1p";
export const Expm1 = "Expm1";
export const Tanh = "Tanh";
export const Sigmoid = "Sigmoid";
export const Relu = "Relu";
export const Softplus = "Softplus";
export const Sin = "Sin";
export const Cos = "Cos";
export const Floor = "Floor";
export const Ceil = "Ceil";
export const Round = "Round";
export const Erf = "Erf";
export const Lgamma = "Lgamma";
export const Digamma = "Digamma";
export const Polygamma = "Polygamma";
export const LogBesselI = "LogBesselI";
export const LogBesselK = "LogBesselK";
export const IsNaN = "IsNaN";

export const Add = "Add";
export const Sub = "Sub";
export const Mul = "Mul";
export const Div = "Div";
export const Pow = "Pow";
export const Maximum = "Maximum";
export const Minimum = "Minimum";
export const Greater = "Greater";
export const GreaterEqual = "GreaterEqual";
export const Less = "Less";
export const LessEqual = "LessEqual";
export const Equal = "Equal";
export const NotEqual = "NotEqual";
export const Where = "Where";

export const Sum = "Sum";
export const Max = "Max";
export const LogSumExp = "LogSumExp";
export const Min = "Min";
export const ArgMax = "ArgMax";
export const ArgMin = "ArgMin";
export const Cumsum = "Cumsum";
export const Argsort = "Argsort";

export const MatMul = "MatMul";
export const Transpose = "Transpose";
export const BroadcastTo = "BroadcastTo";
export const Slice = "Slice";
export const SliceAdjoint = "SliceAdjoint";
export const Pad = "Pad";
export const Concat = "Concat";
export const Take = "Take";
export const TakeAdjoint = "TakeAdjoint";
export const TakeAlongAxis = "TakeAlongAxis";
export const TakeAlongAxisAdjoint = "TakeAlongAxisAdjoint";

// Optimal-transport building blocks (cpu kernels + gpu.js kernels; ops in ops/ot-kernels.ts).
export const PairwiseSqDist = "PairwiseSqDist";
export const GibbsKernel = "GibbsKernel";
export const ScaleRowsCols = "ScaleRowsCols";
