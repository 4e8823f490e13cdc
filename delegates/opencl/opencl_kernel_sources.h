#pragma once

namespace litescope::delegates {

// OpenCL C 1.2 sources of the GPU delegate's kernels: float32, NHWC buffers. Every program is
// specialized per node with -D defines (shapes, strides, padding, activation; see
// opencl_support.cc, which writes them), so the kernels hold no shape arguments and index with
// compile-time constants. Each work item computes one output element: simple and correct first.
//
// Common defines: ACT_KIND (fused activation: 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6, 4 TANH).
const char* OpenclCommonSource();
const char* OpenclConvSource();  // conv2d, depthwise_conv2d
const char* OpenclFullyConnectedSource();
const char* OpenclElementwiseSource();  // binary (broadcast, rank <= 4), unary
const char* OpenclPoolSource();         // average and max pooling
const char* OpenclSoftmaxSource();
const char* OpenclConcatSource();
const char* OpenclMeanSource();
const char* OpenclPadSource();

}  // namespace litescope::delegates
