#!/usr/bin/python3
"""Loads a model we exported in XGBoost's JSON format with Debian's python3-xgboost and compares its margins and
SHAP values (predict(pred_contribs=True)) with ours. Called by tests/core/test_xgboost_json.cpp.
  check_xgboost_export.py DIR   (DIR/model.json, DIR/data.csv: features, NaN = missing, DIR/ours.csv: margin then
                                 one SHAP column per feature and the bias)
Exit 0 when margins agree within 1e-5 and SHAP values within 1e-4; prints the largest differences."""
import sys
import numpy as np
import xgboost as xgb

d = sys.argv[1]
X = np.loadtxt(f"{d}/data.csv", delimiter=",", ndmin=2)
ours = np.loadtxt(f"{d}/ours.csv", delimiter=",", ndmin=2)
booster = xgb.Booster(model_file=f"{d}/model.json")
dm = xgb.DMatrix(X, missing=np.nan)
margin = booster.predict(dm, output_margin=True)
contribs = booster.predict(dm, pred_contribs=True)
dm_ = np.abs(margin - ours[:, 0]).max()
ds_ = np.abs(contribs - ours[:, 1:]).max()
print(f"xgboost {xgb.__version__}: {booster.num_boosted_rounds()} trees, {X.shape[0]} rows; "
      f"max |margin diff| {dm_:.2e}, max |SHAP diff| {ds_:.2e}")
sys.exit(0 if dm_ <= 1e-5 and ds_ <= 1e-4 else 1)
