#include "embed/find_ab.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace recluster {

CurveParams find_ab(double spread, double min_dist) {
    if (!(spread > 0)) throw std::invalid_argument("spread must be > 0");
    if (!(min_dist >= 0) || min_dist > spread) throw std::invalid_argument("min_dist must be in [0, spread]");
    const int m = 300;
    std::vector<double> x(m), y(m);
    for (int i = 0; i < m; ++i) {
        x[i] = 3.0 * spread * i / (m - 1);
        y[i] = x[i] < min_dist ? 1.0 : std::exp(-(x[i] - min_dist) / spread);
    }
    // Residuals r_i = f(x_i) - y_i with f = 1 / (1 + a x^(2b)); minimise sum r^2 over (a, b), a, b > 0.
    auto loss = [&](double a, double b) {
        double s = 0;
        for (int i = 0; i < m; ++i) {
            double f = 1.0 / (1.0 + a * std::pow(x[i], 2 * b));
            s += (f - y[i]) * (f - y[i]);
        }
        return s;
    };
    double a = 1.0, b = 1.0, current = loss(a, b);
    for (int iter = 0; iter < 200; ++iter) {
        // Normal equations of the linearised problem: J^T J delta = -J^T r.
        double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
        for (int i = 0; i < m; ++i) {
            if (x[i] <= 0) continue;  // f = 1 there for any a, b: no gradient
            double p = std::pow(x[i], 2 * b);
            double denom = 1.0 + a * p;
            double f = 1.0 / denom;
            double df_da = -p / (denom * denom);
            double df_db = -a * p * 2.0 * std::log(x[i]) / (denom * denom);
            double r = f - y[i];
            jaa += df_da * df_da;
            jab += df_da * df_db;
            jbb += df_db * df_db;
            ga += df_da * r;
            gb += df_db * r;
        }
        double det = jaa * jbb - jab * jab;
        if (std::fabs(det) < 1e-300) break;
        double da = -(jbb * ga - jab * gb) / det;
        double db = -(-jab * ga + jaa * gb) / det;
        // Step halving keeps the loss decreasing and the parameters positive.
        double step = 1.0;
        bool improved = false;
        for (int h = 0; h < 40; ++h, step *= 0.5) {
            double na = a + step * da, nb = b + step * db;
            if (na <= 0 || nb <= 0) continue;
            double l = loss(na, nb);
            if (l < current) {
                a = na;
                b = nb;
                improved = std::fabs(current - l) > 1e-15 * (1 + current);
                current = l;
                break;
            }
        }
        if (!improved) break;
    }
    return {a, b};
}

}  // namespace recluster
