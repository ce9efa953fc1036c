// Fixture in the shape of tsaol/aws-gpu data/all_gpu_instances.js (values from the catalog)
// Last updated: 2026-01-21

const allGPUInstances = [
  {
    "name": "p5.48xlarge",
    "apiName": "p5.48xlarge",
    "gpu": "NVIDIA H100",
    "gpuCount": 8,
    "vcpu": 192,
    "memory": "2048 GiB",
    "pricing": {
      "us-east-1": {"onDemand": 55.04},
      "us-east-1-bos-1": {"onDemand": 60.0},
      "us-gov-west-1": {"onDemand": 66.0}
    }
  },
  {
    "name": "trn1n.32xlarge",
    "apiName": "trn1n.32xlarge",
    "gpu": "AWS Trainium",
    "gpuCount": 16,
    "vcpu": 128,
    "memory": "512 GB",
    "pricing": {"us-east-1": {"onDemand": 24.78, "reserved": 15.24713}}
  },
  {
    "name": "g6f.large",
    "apiName": "g6f.large",
    "gpu": "NVIDIA L4",
    "gpuCount": 0,
    "vcpu": 2,
    "memory": "8 GB",
    "pricing": {"us-east-1": {"onDemand": 0.2}}
  }
];

module.exports = allGPUInstances;
