# The Spark jobs' image the Helm chart runs (spark.image): Apache Spark 3.5 with Python, the
# spark-jobs package at /opt/tickvault/spark-jobs, and the Kafka connector's jars (archive and
# stream_windows read Kafka). From the repository root:
#   docker build -f deploy/docker/spark-jobs.Dockerfile -t tickvault-spark:0.1.0 .
FROM apache/spark:3.5.7-scala2.12-java17-python3-ubuntu
USER root
ARG MAVEN=https://repo1.maven.org/maven2
# The connector and what it needs beyond Spark's own jars, at the versions Spark 3.5.7 was built with.
RUN cd /opt/spark/jars && for jar in \
      org/apache/spark/spark-sql-kafka-0-10_2.12/3.5.7/spark-sql-kafka-0-10_2.12-3.5.7.jar \
      org/apache/spark/spark-token-provider-kafka-0-10_2.12/3.5.7/spark-token-provider-kafka-0-10_2.12-3.5.7.jar \
      org/apache/kafka/kafka-clients/3.4.1/kafka-clients-3.4.1.jar \
      org/apache/commons/commons-pool2/2.11.1/commons-pool2-2.11.1.jar; do \
      curl -fsSLO "$MAVEN/$jar"; \
    done
COPY spark-jobs /opt/tickvault/spark-jobs
RUN pip install --no-cache-dir /opt/tickvault/spark-jobs
USER spark
